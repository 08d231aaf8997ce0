-- A tail call replaces the caller's frame: captured locals of the caller are closed
-- first, the callee inherits where the results go (a protected call, a call wanting
-- a fixed count), and argument counts adjust as in any call.
local function capture(x)
  local get = function() return x end
  return (function(g, extra) return g() + (extra or 0) end)(get, 1)
end
print(capture(41))

local closures = {}
local function keep(i)
  local v = i * 10
  closures[#closures + 1] = function() return v end
  if i < 3 then return keep(i + 1) end
  return "done"
end
print(keep(1), closures[1](), closures[2](), closures[3]())

local function varargs(...) return select("#", ...), ... end
local function forward(a, b) return varargs(a, b, nil) end
print(forward(1, 2))

local function fails(msg) error(msg, 0) end
local function tail_to_error(m) return fails(m) end
print(pcall(tail_to_error, "boom"))

local function two() return 1, 2 end
local function tail_two() return two() end
local a, b, c = tail_two()
print(a, b, c)
print(select("#", tail_two()))

local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + n) end
print(count(100000, 0))

-- expect: 42
-- expect: done	10	20	30
-- expect: 3	1	2	nil
-- expect: false	boom
-- expect: 1	2	nil
-- expect: 2
-- expect: 5000050000
