-- The modulo and floor division rules, with literals only.
print(13 % 4, -13 % 4, 13 % -4, -13 % -4, 0 % 5)
print(13 // 4, -13 // 4, 13 // -4, -13 // -4)
print(5.5 % 2, -5.5 % 2, 5.5 // 2, -5.5 // 2)
print(-9223372036854775807 - 1 // -1)

-- expect: 1	3	-3	-1	0
-- expect: 3	-4	-4	3
-- expect: 1.5	0.5	2.0	-3.0
-- expect: -9223372036854775806
