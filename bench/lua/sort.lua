-- Sorting: table.sort with Lua comparators over records (several keys, a unique
-- tie-breaker so every engine's sort must produce the same order), the default order on
-- numbers and strings, and a hand-written merge sort for comparison.
local n = tonumber(arg and arg[1]) or 40000

local M = 1000000007
local seed = 7
local function random(k)
  seed = seed * 16807 % 2147483647
  return seed % k + 1
end

local h = 0
local function mix(v) h = (h * 31 + v) % M end
local function fold(list, key)
  local s = 0
  for i = 1, #list do s = (s * 7 + i * key(list[i])) % M end
  mix(s)
end

local cities = { "Oslo", "Lima", "Pune", "Kyiv", "Lyon", "Baku", "Cork", "Graz" }
local records = {}
for i = 1, n do
  records[i] = { id = i, age = random(90), score = random(1000) / 10,
                 city = cities[random(#cities)] }
end

-- By city, then descending score, then id.
table.sort(records, function(a, b)
  if a.city ~= b.city then return a.city < b.city end
  if a.score ~= b.score then return a.score > b.score end
  return a.id < b.id
end)
fold(records, function(r) return r.id end)

-- By age, then id descending.
table.sort(records, function(a, b)
  if a.age ~= b.age then return a.age < b.age end
  return a.id > b.id
end)
fold(records, function(r) return r.id end)

-- Numbers and strings in their natural order, then numbers descending.
local nums, strs = {}, {}
for i = 1, n do
  nums[i] = random(1000000)
  strs[i] = cities[random(#cities)] .. random(100000)
end
table.sort(nums)
fold(nums, function(v) return v end)
table.sort(strs)
fold(strs, function(v) return #v + v:byte(-1) end)
table.sort(nums, function(a, b) return a > b end)
fold(nums, function(v) return v end)

-- A stable merge sort written in Lua, ordering records by age only.
local function merge_sort(list, less)
  local tmp = {}
  local function sort(lo, hi)
    if hi - lo < 1 then return end
    local mid = math.floor((lo + hi) / 2)
    sort(lo, mid)
    sort(mid + 1, hi)
    local i, j, k = lo, mid + 1, lo
    while i <= mid and j <= hi do
      if less(list[j], list[i]) then tmp[k] = list[j]; j = j + 1
      else tmp[k] = list[i]; i = i + 1 end
      k = k + 1
    end
    while i <= mid do tmp[k] = list[i]; i = i + 1; k = k + 1 end
    while j <= hi do tmp[k] = list[j]; j = j + 1; k = k + 1 end
    for x = lo, hi do list[x] = tmp[x] end
  end
  sort(1, #list)
end
merge_sort(records, function(a, b) return a.age < b.age end)
fold(records, function(r) return r.id end)

print(string.format("sorted %d records, checksum %d", n, h))
