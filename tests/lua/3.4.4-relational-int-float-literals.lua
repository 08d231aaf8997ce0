-- Exact int/float comparisons with literals only.
print(9007199254740993 < 9007199254740992.0, 9007199254740993 > 9007199254740992.0)
print(9223372036854775807 < 9223372036854775808.0, 9223372036854775807 == 9223372036854775808.0)
print(-9223372036854775807 - 1 == -9223372036854775808.0, 1 == 1.0000000000000002)
local nan = 0/0
print(nan == nan, nan ~= nan, nan < nan, nan > 1)

-- expect: false	true
-- expect: true	false
-- expect: true	false
-- expect: false	true	false	false
