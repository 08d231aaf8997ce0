-- + - * on two integers give an integer; with a float operand, a float.
print(1 + 2, 1 + 2.0, 1.5 + 1.5, 7 - 10, 7 - 10.0)
print(6 * 7, 6 * 7.0, 2.5 * 2, -3 * -3)
print(10 - 10.0, 0 * -1.0)

-- expect: 3	3.0	3.0	-3	-3.0
-- expect: 42	42.0	5.0	9
-- expect: 0.0	-0.0
