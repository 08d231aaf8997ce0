-- Decimal float numerals: a radix point or an exponent makes a float.
print(3.0, 3.1416, 314.16e-2, 0.31416E1, 34e1)
print(.5, 5., 1e0, 2E+3, 1e-3)
print(1e308 * 10, 5e-324 > 0)
print(0.1 + 0.2 == 0.3, 0.5 + 0.25 == 0.75)

-- expect: 3.0	3.1416	3.1416	3.1416	340.0
-- expect: 0.5	5.0	1.0	2000.0	0.001
-- expect: inf	true
-- expect: false	true
