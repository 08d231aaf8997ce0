-- table.insert and table.remove at the end and at positions.
local t = {}
table.insert(t, "a")
table.insert(t, "c")
table.insert(t, 2, "b")
table.insert(t, 1, "start")
print(#t, table.concat(t, " "))
print(table.remove(t), table.remove(t, 1), #t, table.concat(t, " "))
print(table.remove({}), #t)
print(pcall(table.insert, t, 10, "x"))

-- expect: 4	start a b c
-- expect: c	start	2	a b
-- expect: nil	2
-- expect: false	bad argument #2 to 'table.insert' (position out of bounds)
