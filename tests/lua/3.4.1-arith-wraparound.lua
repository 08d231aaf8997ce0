-- Integer arithmetic wraps around on overflow.
local max, min = 9223372036854775807, -9223372036854775807 - 1
print(max + 1 == min, min - 1 == max, max * 2, min * -1)
print(-min, max + max)
print(max + 1.0)

-- expect: true	true	-2	-9223372036854775808
-- expect: -9223372036854775808	-2
-- expect: 9.2233720368548e+18
