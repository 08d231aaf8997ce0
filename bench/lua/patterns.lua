-- Pattern matching over generated text: gmatch word and number scans, gsub with
-- string, function and table replacements, captures, anchors, %b and %f, and find.
local n = tonumber(arg and arg[1]) or 20000

local M = 1000000007
local seed = 42
local function random(k)
  seed = seed * 16807 % 2147483647
  return seed % k + 1
end

local words = { "lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing",
                "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore" }

-- n lines of words, numbers, key=value pairs, parentheses and punctuation.
local lines = {}
for i = 1, n do
  local parts = {}
  for j = 1, 6 + random(6) do
    local r = random(10)
    local w = words[random(#words)]
    if r <= 5 then parts[j] = w
    elseif r <= 7 then parts[j] = tostring(random(100000))
    elseif r == 8 then parts[j] = w .. "=" .. random(999)
    elseif r == 9 then parts[j] = "(" .. w .. " " .. random(50) .. ")"
    else parts[j] = w:upper() .. "," end
  end
  lines[i] = table.concat(parts, " ") .. (i % 3 == 0 and "." or "")
end
local text = table.concat(lines, "\n")

local h = 0
local function mix(v) h = (h * 31 + v) % M end

-- Word frequencies; folded in sorted order so table order never shows.
local freq, nwords = {}, 0
for w in text:gmatch("%a+") do
  freq[w] = (freq[w] or 0) + 1
  nwords = nwords + 1
end
local keys = {}
for k in pairs(freq) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do mix(#k * freq[k]) end
mix(nwords)

-- Numbers: sum them, then rewrite each through a function.
local sum = 0
for d in text:gmatch("%d+") do sum = (sum + tonumber(d)) % M end
mix(sum)
local doubled, count = text:gsub("%d+", function(d) return tostring(tonumber(d) * 2) end)
mix(#doubled); mix(count)

-- key=value pairs, captured and swapped with a replacement string.
local pairs_found = 0
for k, v in text:gmatch("(%a+)=(%d+)") do pairs_found = pairs_found + #k + tonumber(v) end
mix(pairs_found)
local swapped, nswap = text:gsub("(%a+)=(%d+)", "%2:%1")
mix(#swapped); mix(nswap)

-- Balanced parentheses, frontier patterns, table replacements, anchors per line.
local balanced = 0
for b in text:gmatch("%b()") do balanced = balanced + #b end
mix(balanced)
local upper = 0
for w in text:gmatch("%f[%a]%u+%f[%A]") do upper = upper + #w end
mix(upper)
local short = { sit = "S", ut = "U", ["do"] = "D", sed = "Z" }
local abbreviated, nabbr = text:gsub("%a+", short)
mix(#abbreviated); mix(nabbr)
local starts, ends = 0, 0
for line in text:gmatch("[^\n]+") do
  if line:match("^%a+ %d") then starts = starts + 1 end
  if line:find("%.$") then ends = ends + 1 end
end
mix(starts); mix(ends)

-- Plain find over the text, counting occurrences of a fixed string.
local at, found = 1, 0
while true do
  local s, e = text:find("tempor", at, true)
  if not s then break end
  found = found + 1
  at = e + 1
end
mix(found)

print(string.format("%d bytes, %d words, checksum %d", #text, nwords, h))
