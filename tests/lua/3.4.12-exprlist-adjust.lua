-- Adjustment of expression lists in every position.
local function two() return "a", "b" end
local x, y, z = two(), two()
print(x, y, z)
local t = {two(), two(), (two())}
print(#t, t[3])
local function args(...) return select("#", ...) end
print(args(two(), two()), args((two()), (two())))
return print(two())

-- expect: a	a	b
-- expect: 3	a
-- expect: 3	2
-- expect: a	b
