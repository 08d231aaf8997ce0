-- var.Name is sugar for var["Name"].
local t = {}
t.name = "n"
print(t["name"])
t["other"] = "o"
print(t.other)
local k = "name"
print(t[k], t.k)
local nested = {a = {b = {c = "deep"}}}
print(nested.a.b.c, nested["a"]["b"]["c"])

-- expect: n
-- expect: o
-- expect: n	nil
-- expect: deep	deep
