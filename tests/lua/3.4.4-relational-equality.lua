-- == compares numbers by mathematical value and other types by identity.
print(1 == 1.0, "1" == 1, 0 == -0, "abc" == "abc", nil == false)
print(2^53 == 2^53 + 1, 9007199254740993 == 2^53)
local t = {}
print(t == t, t ~= {}, 1 ~= 1.0, "a" ~= "b")

-- expect: true	false	true	true	false
-- expect: true	false
-- expect: true	true	false	true
