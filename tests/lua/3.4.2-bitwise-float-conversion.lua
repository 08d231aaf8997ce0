-- Floats with an exact integer value convert to integers (strings do not: see bitwise-error-string).
print(3.0 | 0, 2.0^10 & 0xFFFF, 12.0 & 10, -1.0 ~ 0, 2^62 >> 61)
print(1e3 | 0)

-- expect: 3	1024	8	-1	2
-- expect: 1000
