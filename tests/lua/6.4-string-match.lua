-- match returns captures, or the whole match when there are none.
print(("key = value"):match("(%w+)%s*=%s*(%w+)"))
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(("abc"):match("()b()"), ("abc"):match("x"), ("abc"):match(".", -1))
print(("[tag]"):match("%[(.*)%]"), ("f(a(b)c)"):match("%b()"))

-- expect: key	value
-- expect: 2024	01	15
-- expect: trim me|
-- expect: 2	nil	c
-- expect: tag	(a(b)c)
