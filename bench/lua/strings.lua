-- String building: string.format with many conversions, `..` in loops, table.concat,
-- string.rep, sub, upper/lower, reverse, byte and char. The checksum folds the bytes of
-- everything built into an integer.
local n = tonumber(arg and arg[1]) or 150000

local M = 1000000007
local unpack = table.unpack or unpack
local function fold(h, s)
  -- Sample every 7th byte plus the length, so hashing stays cheap next to building.
  for i = 1, #s, 7 do h = (h * 31 + s:byte(i)) % M end
  return (h * 31 + #s) % M
end

local names = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta" }
local h, total = 7, 0

-- Formatted report lines, gathered in a table and joined.
local lines = {}
for i = 1, n do
  local name = names[i % #names + 1]
  lines[#lines + 1] = string.format("%6d|%-8s|%8.3f|%x|%X|%5.1f%%|%c|%s",
    i, name, i / 7, i * 13, i * 17, (i % 1000) / 10, 65 + i % 26, name:upper())
end
local report = table.concat(lines, "\n")
h = fold(h, report)
total = total + #report

-- Concatenation in a loop, a short string at a time, restarted now and then.
local s = ""
for i = 1, n do
  s = s .. names[i % #names + 1]:sub(1, 3) .. i
  if #s > 2000 then
    h = fold(h, s)
    total = total + #s
    s = ""
  end
end
h = fold(h, s)

-- Rebuilding strings byte by byte: a Caesar shift of each word, reversed.
local parts = {}
for i = 1, n / 10 do
  local word = names[i % #names + 1] .. string.rep("xy", i % 5)
  local bytes = { word:byte(1, -1) }
  for j = 1, #bytes do bytes[j] = 97 + (bytes[j] - 97 + i) % 26 end
  parts[#parts + 1] = string.char(unpack(bytes)):reverse()
end
local shifted = table.concat(parts, ",")
h = fold(h, shifted:lower())
total = total + #shifted

print(string.format("total length %d, hash %d", total, h))
