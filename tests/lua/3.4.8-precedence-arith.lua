-- Precedence and associativity of the arithmetic operators.
print(2 + 3 * 4, (2 + 3) * 4, 2 * 3 ^ 2, -2 ^ 2, 2 ^ -2)
print(2 ^ 3 ^ 2, (2 ^ 3) ^ 2, 100 / 10 / 2, 100 // 10 // 3, 7 - 3 - 2)
print(-3 % 5, -(3 % 5), 2 * -3, 1 + -2 ^ 2)

-- expect: 14	20	18.0	-4.0	0.25
-- expect: 512.0	64.0	5.0	3	2
-- expect: 2	-3	-6	-3.0
