-- Table-heavy work: array appends with table.insert and t[#t+1], table.remove, lookups
-- with integer and string keys, hash tables that grow and have keys deleted, records
-- with named fields, and traversal with ipairs and pairs (summed, so order never shows).
local n = tonumber(arg and arg[1]) or 300000

local M = 1000000007
local h = 0
local function mix(v) h = (h * 31 + v) % M end

-- Arrays: append two ways, read back, remove from the end and from the middle.
local a = {}
for i = 1, n do a[#a + 1] = i * 3 end
for i = 1, n / 4 do table.insert(a, i % 7) end
local s = 0
for i, v in ipairs(a) do s = (s + i * v) % M end
mix(s); mix(#a)
for _ = 1, n / 4 do s = s + table.remove(a) end
for i = 1, 200 do s = s + table.remove(a, #a - i * 3) end
table.insert(a, 1, 99)
mix(s % M); mix(#a); mix(a[1]); mix(a[#a])

-- String keys: build, look up (hits and misses), update, delete half.
local keys = {}
for i = 1, n / 2 do keys[i] = "key" .. i end
local map = {}
for i = 1, #keys do map[keys[i]] = i end
local hits, misses = 0, 0
for i = 1, n do
  local v = map["key" .. (i * 7 % n)]
  if v then hits = hits + v else misses = misses + 1 end
end
mix(hits % M); mix(misses)
for i = 1, #keys, 2 do map[keys[i]] = nil end
local count, total = 0, 0
for k, v in pairs(map) do count = count + 1; total = total + v + #k end
mix(count); mix(total % M)

-- Sparse integer keys and mixed keys in one table.
local sparse = {}
for i = 1, n / 2 do sparse[i * 37 % 1000003] = i end
local found = 0
for i = 1, n do
  local v = sparse[i]
  if v then found = found + v end
end
mix(found % M)
local mixed = {}
for i = 1, n / 4 do
  mixed[i] = i
  mixed["s" .. i % 1000] = i
  mixed[i + 0.5] = -i
end
local isum, fsum, ssum = 0, 0, 0
for k, v in pairs(mixed) do
  if type(k) == "string" then ssum = ssum + v
  elseif k % 1 == 0 then isum = isum + v
  else fsum = fsum + v end
end
mix(isum % M); mix(-fsum % M); mix(ssum % M)

-- Records: many small tables with named fields, updated through a field access loop.
local points = {}
for i = 1, n / 4 do points[i] = { x = i, y = i * 2, z = i % 10, tag = "p" } end
for round = 1, 4 do
  for i = 1, #points do
    local p = points[i]
    p.x = p.y + p.z
    p.y = p.x % 1000 + round
  end
end
local psum = 0
for _, p in ipairs(points) do psum = (psum + p.x + p.y) % M end
mix(psum)

print(string.format("checksum %d", h))
