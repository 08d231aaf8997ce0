-- # on a sequence is its number of elements.
print(#{}, #{1, 2, 3}, #{nil}, #{n = 3})
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[#t] = nil
print(#t)
t[#t + 1] = "x"
print(#t, t[100])
local u = {"a", "b"}
u[3] = "c"
print(#u)

-- expect: 0	3	0	0
-- expect: 100
-- expect: 99
-- expect: 100	x
-- expect: 3
