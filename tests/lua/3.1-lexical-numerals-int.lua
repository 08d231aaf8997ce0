-- Decimal and hexadecimal integer numerals.
print(3, 345, 0, 007)
print(0xff, 0XA, 0xBEBADA, 0x0)
print(0x10 == 16, 1e2 == 100)
print(9007199254740993)

-- expect: 3	345	0	7
-- expect: 255	10	12499674	0
-- expect: true	true
-- expect: 9007199254740993
