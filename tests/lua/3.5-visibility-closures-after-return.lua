-- Upvalues outlive the function that created them.
local function make(start)
  local value = start
  local function get() return value end
  local function add(d) value = value + d end
  return get, add
end
local get, add = make(5)
add(3)
add(2)
print(get())
local get2, add2 = make(0)
add2(1)
print(get(), get2())

-- expect: 10
-- expect: 10	1
