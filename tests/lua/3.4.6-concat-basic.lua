-- .. is right associative and works on strings and numbers.
print("a" .. "b" .. "c", 1 .. 2 .. 3, "x" .. 1.5)
local s = ""
for i = 1, 5 do s = s .. i end
print(s, #s)
print(("ab"):rep(2) .. "!")

-- expect: abc	123	x1.5
-- expect: 12345	5
-- expect: abab!
