-- Assignment to globals, fields and nested fields.
g1, g2 = "one", "two"
print(g1, g2)
local t = {inner = {}}
t.inner.x, t.y = 5, 6
print(t.inner.x, t.y)
local keys = {"p", "q"}
t[keys[1]], t[keys[2]] = keys[2], keys[1]
print(t.p, t.q)

-- expect: one	two
-- expect: 5	6
-- expect: q	p
