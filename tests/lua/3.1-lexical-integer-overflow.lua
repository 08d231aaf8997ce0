-- Decimal integers that overflow become floats; hexadecimal ones wrap around.
print(9223372036854775807)
print(9223372036854775808)
print(-9223372036854775808)
print(18446744073709551616)
print(0xffffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000)
print(0x10000000000000000, 0x1ffffffffffffffff)

-- expect: 9223372036854775807
-- expect: 9.2233720368548e+18
-- expect: -9.2233720368548e+18
-- expect: 1.844674407371e+19
-- expect: -1	9223372036854775807	-9223372036854775808
-- expect: 0	-1
