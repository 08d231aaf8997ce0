-- The same as for-numeric-overflow-free, using literals only.
for i = 9223372036854775805, 9223372036854775807 do print(i) end
for i = -9223372036854775806, -9223372036854775807 - 1, -1 do print(i) end
local count = 0
for i = 0, 9223372036854775807, 4611686018427387904 do count = count + 1 end
print(count)
for i = 9223372036854775807, 0, -9223372036854775807 do print("big step", i) end

-- expect: 9223372036854775805
-- expect: 9223372036854775806
-- expect: 9223372036854775807
-- expect: -9223372036854775806
-- expect: -9223372036854775807
-- expect: -9223372036854775808
-- expect: 2
-- expect: big step	9223372036854775807
-- expect: big step	0
