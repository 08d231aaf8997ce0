-- Strings are byte sequences and may contain any byte, including zero.
local s = "a\0b\0c"
print(#s, s == "a\0b\0c", s == "a\0b")
print("\255" ~= "\254", #"\255\254")
local u = "ação"
print(#u)

-- expect: 5	true	false
-- expect: true	2
-- expect: 6
