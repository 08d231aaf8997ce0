-- a % b == a - (a // b) * b: the result has the sign of the divisor.
print(7 % 3, -7 % 3, 7 % -3, -7 % -3)
print(7.5 % 2, -7.5 % 2, 7.5 % -2, 5 % 2.5)
print(5.3 % 1 < 0.31, 3 % math.huge, -3 % math.huge, 3 % -math.huge)
print(math.mininteger % -1, math.maxinteger % 2)
print(1 % 0.0 ~= 1 % 0.0)

-- expect: 1	2	-2	-1
-- expect: 1.5	0.5	-0.5	0.0
-- expect: true	3.0	inf	-inf
-- expect: 0	1
-- expect: true
