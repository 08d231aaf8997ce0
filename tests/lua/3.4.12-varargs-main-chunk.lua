-- The main chunk is a vararg function; a nested function must declare its own ...
local main = {...}
print(#main)
local function f(...) return ... end
print(f())
print(f(1, nil, 3))

-- expect: 0
-- expect:
-- expect: 1	nil	3
