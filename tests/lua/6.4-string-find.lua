-- find with patterns, init and plain search.
local s = "hello world from lua"
print(s:find("world"), s:find("o", 6), s:find("xyz"), s:find(""))
print(s:find("l+"), s:find("(o)(r)"), s:find(".", 1, true), ("a.b"):find(".", 1, true))
print(s:find("o", -3), s:find("^hello"), s:find("^world"), s:find("lua$"))

-- expect: 7	8	nil	1	0
-- expect: 3	8	nil	2	2
-- expect: nil	1	nil	18	20
