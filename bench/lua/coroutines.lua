-- Coroutines: generators with coroutine.wrap, a producer/filter/consumer pipeline of
-- resumes and yields passing values both ways, and many short-lived coroutines.
local n = tonumber(arg and arg[1]) or 600000

local M = 1000000007
local h = 0
local function mix(v) h = (h * 31 + v) % M end

-- A generator of the integers lo..hi.
local function range(lo, hi)
  return coroutine.wrap(function()
    for i = lo, hi do coroutine.yield(i) end
  end)
end

-- A pipeline: numbers -> keep those not divisible by 3 -> square them -> sum.
local function filter(source, p)
  return coroutine.wrap(function()
    for v in source do
      if p(v) then coroutine.yield(v) end
    end
  end)
end
local function map(source, f)
  return coroutine.wrap(function()
    for v in source do coroutine.yield(f(v)) end
  end)
end
local sum = 0
for v in map(filter(range(1, n), function(v) return v % 3 ~= 0 end),
             function(v) return v * v % 1000 end) do
  sum = sum + v
end
mix(sum)

-- Values passed both ways through resume and yield: a running-average accumulator.
local acc = coroutine.create(function(x)
  local total, count = 0, 0
  while true do
    total = total + x
    count = count + 1
    x = coroutine.yield(total % 1000, count)
  end
end)
local last = 0
for i = 1, n do
  local ok, t, c = coroutine.resume(acc, i)
  if not ok then error(t) end
  last = (last + t + c) % M
end
mix(last)

-- Many short coroutines, each yielding a few times, with status checks.
local finished = 0
for i = 1, n / 10 do
  local co = coroutine.create(function(a, b)
    local c = coroutine.yield(a + b)
    local d = coroutine.yield(c * 2)
    return a + b + c + d
  end)
  local _, x = coroutine.resume(co, i, 1)
  local _, y = coroutine.resume(co, x)
  local _, z = coroutine.resume(co, y % 7)
  if coroutine.status(co) == "dead" then finished = finished + 1 end
  mix(z % 1000)
end
mix(finished)

print(string.format("checksum %d", h))
