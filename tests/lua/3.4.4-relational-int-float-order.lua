-- Integer/float comparisons are exact, even beyond 2^53.
print(1 < 1.5, 2 <= 2.0, 3 > 2.5, -1 >= -1.0)
print(9007199254740993 < 9007199254740992.0, 9007199254740993 > 9007199254740992.0)
print(math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63, math.mininteger == -2^63)
print(1 < math.huge, -math.huge < math.mininteger, (0/0) < 1, (0/0) >= 1)

-- expect: true	true	true	true
-- expect: false	true
-- expect: true	true	true
-- expect: true	true	false	false
