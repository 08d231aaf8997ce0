-- Closures and upvalues: closures created in loops (each capturing a fresh loop
-- variable), counters sharing one upvalue, upvalues several levels out, higher-order
-- map/filter/reduce, composition, and memoisation through a closed-over table.
local n = tonumber(arg and arg[1]) or 900000

local M = 1000000007
local h = 0
local function mix(v) h = (h * 31 + v) % M end

-- A counter object made of closures sharing one upvalue.
local function counter(start)
  local value = start
  return function(d) value = value + d; return value end,
         function() return value end
end

local function map(list, f)
  local out = {}
  for i = 1, #list do out[i] = f(list[i]) end
  return out
end
local function filter(list, p)
  local out = {}
  for i = 1, #list do if p(list[i]) then out[#out + 1] = list[i] end end
  return out
end
local function reduce(list, f, acc)
  for i = 1, #list do acc = f(acc, list[i]) end
  return acc
end
local function compose(f, g) return function(x) return f(g(x)) end end

-- Closures made per iteration, each with its own copy of the loop variable.
local total = 0
for round = 1, n / 1000 do
  local fs = {}
  for i = 1, 1000 do fs[i] = function(x) return x * i + round end end
  local list = map(fs, function(f) return f(3) end)
  local odd = filter(list, function(v) return v % 2 == 1 end)
  total = (total + reduce(odd, function(a, b) return (a + b) % M end, 0)) % M
end
mix(total)

-- Shared upvalues: increments from many places reach the same variable.
local inc, get = counter(0)
for i = 1, n do
  if i % 3 == 0 then inc(2) else inc(-1) end
end
mix(get() % M)

-- Upvalues three levels out, read and written by the innermost function.
local function outer(a)
  local b = a * 2
  return function(c)
    local d = c + b
    return function(e)
      a = a + 1
      b = b + e
      return a + b + d + e
    end
  end
end
local f = outer(1)(2)
local acc = 0
for i = 1, n do acc = (acc + f(i % 10)) % M end
mix(acc)

-- Function composition chains and a memoised function.
local add1 = function(x) return x + 1 end
local dbl = function(x) return x * 2 end
local chain = compose(add1, compose(dbl, compose(add1, dbl)))
local csum = 0
for i = 1, n do csum = (csum + chain(i)) % M end
mix(csum)

local function memoize(g)
  local cache = {}
  return function(x)
    local v = cache[x]
    if v == nil then v = g(x); cache[x] = v end
    return v
  end
end
local slow_square = memoize(function(x) return x * x % 9973 end)
local msum = 0
for i = 1, n do msum = msum + slow_square(i % 5000) end
mix(msum % M)

print(string.format("checksum %d", h))
