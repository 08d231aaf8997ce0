-- Bitwise operators on integers.
print(0xF0 & 0x3C, 0xF0 | 0x0F, 0xF0 ~ 0xFF, ~0, ~5)
print(1 << 4, 256 >> 4, -1 >> 1 == 0x7FFFFFFFFFFFFFFF, -1 << 63 == math.mininteger)
print(1 << 64, 1 << 63, 1 >> 64, 1 << -1, 2 >> -1)
print(3 & 5 | 8, 6 ~ 3 & 1)

-- expect: 48	255	15	-1	-6
-- expect: 16	16	true	true
-- expect: 0	-9223372036854775808	0	0	4
-- expect: 9	7
