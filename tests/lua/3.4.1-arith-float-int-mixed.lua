-- Results of mixed arithmetic and their printed forms.
print(3 + 0.0, 2^53 + 1, 1e15, 1e16, 123456789012345678)
print(0.1, 1/3, -1.5e-10, 100 / 3)
print(255 // 1.0, 3 * 1.0)

-- expect: 3.0	9.007199254741e+15	1e+15	1e+16	123456789012345678
-- expect: 0.1	0.33333333333333	-1.5e-10	33.333333333333
-- expect: 255.0	3.0
