-- select, type and _VERSION.
print(_VERSION)
print(select("#", 1, nil, 3), select(2, "a", "b"))
print(type(select), type(_G), type(_VERSION))

-- expect: Lua 5.4
-- expect: 3	b
-- expect: function	table	string
