-- Hexadecimal floats, with a fraction and/or a binary exponent.
print(0x0.1E, 0xA23p-4, 0X1.921FB54442D18P+1)
print(0x.8, 0x.8p1, 0x1p4, 0x1P-1, 0xAp0)
print(0x1p10 == 1024, 0x3.8 == 3.5)

-- expect: 0.1171875	162.1875	3.1415926535898
-- expect: 0.5	1.0	16.0	0.5	10.0
-- expect: true	true
