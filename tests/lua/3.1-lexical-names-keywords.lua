-- Names are case sensitive; keywords are reserved only in lower case.
local And, AND, _, _x1, __ = 1, 2, 3, 4, 5
print(And, AND, _, _x1, __)
local t = {}
t["end"] = "field named end"
t["while"] = 7
print(t["end"], t["while"])
local Nil = "not nil"
print(Nil)

-- expect: 1	2	3	4	5
-- expect: field named end	7
-- expect: not nil
