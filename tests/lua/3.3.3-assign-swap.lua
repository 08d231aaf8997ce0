-- All values are evaluated before any assignment is made.
local x, y = 1, 2
x, y = y, x
print(x, y)
local t = {1, 2, 3}
t[1], t[3] = t[3], t[1]
print(t[1], t[2], t[3])
local a, b, c = "a", "b", "c"
a, b, c = c, a, b
print(a, b, c)

-- expect: 2	1
-- expect: 3	2	1
-- expect: c	a	b
