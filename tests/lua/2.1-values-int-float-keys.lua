-- Float keys with an exact integer value are normalised to integer keys.
local t = {}
t[1] = "one"
t[2.0] = "two"
print(t[1.0], t[2], #t)
t[2^53] = "big"
print(t[9007199254740992])
t[1.5] = "half"
print(t[1.5], t[3 / 2])
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n)

-- expect: one	two	2
-- expect: big
-- expect: half	half
-- expect: 4
