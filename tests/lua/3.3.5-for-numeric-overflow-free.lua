-- Loops near the integer limits terminate without overflowing.
local max, min = math.maxinteger, math.mininteger
for i = max - 2, max do print(i) end
for i = min + 2, min, -1 do print(i) end
local count = 0
for i = 1, max, max // 2 do count = count + 1 end
print(count)
count = 0
for i = max, max - 1 do count = count + 1 end
print(count)
for i = min, min + 1 do print(i) end

-- expect: 9223372036854775805
-- expect: 9223372036854775806
-- expect: 9223372036854775807
-- expect: -9223372036854775806
-- expect: -9223372036854775807
-- expect: -9223372036854775808
-- expect: 3
-- expect: 0
-- expect: -9223372036854775808
-- expect: -9223372036854775807
