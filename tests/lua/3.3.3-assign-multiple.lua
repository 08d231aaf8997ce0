-- Multiple assignment adjusts the value list to the variable list.
local a, b, c = 1, 2
print(a, b, c)
a, b = 10, 20, 30
print(a, b)
local d, e = 1
print(d, e)
a, b, c = (function() return 1, 2, 3 end)()
print(a, b, c)
a, b, c = (function() return 1, 2, 3 end)(), 10
print(a, b, c)
a, b, c = 0, (function() return 1, 2, 3 end)()
print(a, b, c)

-- expect: 1	2	nil
-- expect: 10	20
-- expect: 1	nil
-- expect: 1	2	3
-- expect: 1	10	nil
-- expect: 0	1	2
