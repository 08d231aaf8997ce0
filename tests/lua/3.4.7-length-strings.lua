-- # on strings counts bytes.
print(#"", #"abc", #"\0\0", #"héllo", #[[
x]])
local s = "hello"
print(#s, #s + 1, -#s)

-- expect: 0	3	2	6	1
-- expect: 5	6	-5
