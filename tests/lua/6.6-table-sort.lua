-- table.sort with the default order and with a comparator.
local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
local names = {"bob", "alice", "Carol", "dave"}
table.sort(names)
print(table.concat(names, " "))
local recs = {{n = "x", v = 3}, {n = "y", v = 1}, {n = "z", v = 2}}
table.sort(recs, function(a, b) return a.v < b.v end)
print(recs[1].n, recs[2].n, recs[3].n)
print(pcall(table.sort, {3, 1, 2}, 5))

-- expect: 1 2 3 5 8 9
-- expect: 9 8 5 3 2 1
-- expect: Carol alice bob dave
-- expect: y	z	x
-- expect: false	bad argument #2 to 'table.sort' (function expected, got number)
