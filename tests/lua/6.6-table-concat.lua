-- table.concat with separators and ranges; numbers are allowed, other values are not.
print(table.concat({1, 2, 3}), table.concat({"a", "b"}, ", "), table.concat({}, "x"))
print(table.concat({"a", "b", "c", "d"}, "-", 2, 3), table.concat({1.5, 2}, " "))
print(pcall(table.concat, {1, {}, 3}))

-- expect: 123	a, b	
-- expect: b-c	1.5 2
-- expect: false	invalid value (table) at index 2 in table for 'concat'
