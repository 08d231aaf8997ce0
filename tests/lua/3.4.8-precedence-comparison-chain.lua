-- Comparison operators are left associative; the result of one is a boolean.
print(1 < 2 == true, false == (1 > 2), "a" .. "b" == "ab")
print(not nil and 1 or 2, not (nil and 1) or 2)
print(2 ^ 2 ^ 0, -3 ^ 2, (-3) ^ 2)
local ok, err = pcall(function() return false == 1 > 2 end)
print(ok, (err:gsub("^.-:%d+: ", "")))

-- expect: true	true	true
-- expect: 1	true
-- expect: 2.0	-9.0	9.0
-- expect: false	attempt to compare number with boolean
