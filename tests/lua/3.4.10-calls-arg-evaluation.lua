-- Arguments are adjusted to the parameters; missing ones are nil, extra ones dropped.
local function f(a, b, c) return a, b, c end
print(f(1))
print(f(1, 2, 3, 4))
local function g(a, b) return b end
print(g(1, f(7, 8, 9)))
print(g(f(7, 8, 9)))

-- expect: 1	nil	nil
-- expect: 1	2	3
-- expect: 7
-- expect: 8
