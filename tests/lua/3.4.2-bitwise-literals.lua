-- Bitwise operators with literal operands only.
print(12 & 10, 12 | 10, 12 ~ 10, ~12)
print(1 << 62, 1 << 63, 1 << 64, -1 >> 60, 8 >> 1 >> 1)
print(5 << -1, 5 >> -1, 0xFF & ~0xF)

-- expect: 8	14	6	-13
-- expect: 4611686018427387904	-9223372036854775808	0	15	2
-- expect: 2	10	240
