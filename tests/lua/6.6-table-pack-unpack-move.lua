-- table.pack, table.unpack and table.move.
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(table.unpack({1, 2, 3}))
print(table.unpack({1, 2, 3}, 2))
print(table.unpack({1, 2, 3}, 2, 5))
print(select("#", table.unpack({}, 1, 3)))
local m = table.move({1, 2, 3}, 1, 3, 2)
print(table.concat(m, ","))
local dest = table.move({"a", "b"}, 1, 2, 3, {"x", "y"})
print(table.concat(dest, ","))

-- expect: 3	1	nil	3
-- expect: 1	2	3
-- expect: 2	3
-- expect: 2	3	nil	nil
-- expect: 3
-- expect: 1,1,2,3
-- expect: x,y,a,b
