-- Parameters are locals and can be captured and modified.
local function adder(x)
  return function(y) x = x + y; return x end
end
local a = adder(10)
print(a(1), a(1), adder(0)(5))
local function capture_vararg(...)
  local n = select("#", ...)
  return function() return n end
end
print(capture_vararg(1, 2, 3)())

-- expect: 11	12	5
-- expect: 3
