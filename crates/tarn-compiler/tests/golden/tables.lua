-- Constant keys use the field and index forms; globals go through _ENV.
local t = {1, 2, 3, x = 4, [5] = 6, ["y z"] = 7, [t] = 8}
t.a = t.b
t[1] = t[2]
t[40000] = t[-1]
t[t] = t.a.b.c
count = count + #t
t:method(1, "two")
return t
