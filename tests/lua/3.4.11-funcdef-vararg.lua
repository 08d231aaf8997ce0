-- A vararg function collects extra arguments in ...
local function f(a, ...)
  local x, y = ...
  return a, x, y, select("#", ...)
end
print(f(1))
print(f(1, 2))
print(f(1, 2, 3, 4))
print(f(1, nil, nil))

-- expect: 1	nil	nil	0
-- expect: 1	2	nil	1
-- expect: 1	2	3	3
-- expect: 1	nil	nil	2
