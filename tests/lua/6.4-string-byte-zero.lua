-- string.byte's end defaults to its start as given, before negative or zero positions
-- are adjusted: s:byte(0) is empty. (Found by the differential generator.)
local s = "abc"
print(select("#", s:byte(0)))
print(s:byte(-1), s:byte(-3), select("#", s:byte(-4)))
print(s:byte(0, 2))
print(select("#", s:byte(10)), select("#", (""):byte()))

-- expect: 0
-- expect: 99	97	0
-- expect: 97	98
-- expect: 0	0
