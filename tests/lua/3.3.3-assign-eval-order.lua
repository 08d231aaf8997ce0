-- i, a[i] = i+1, 20 sets a[3]: the i in a[i] is evaluated before i is assigned.
local i = 3
local a = {}
i, a[i] = i + 1, 20
print(i, a[3], a[4])
local t = {}
local k = 1
t[k], k = "first", 2
print(t[1], t[2], k)

-- expect: 4	20	nil
-- expect: first	nil	2
