-- / always gives a float; // floors; both follow IEEE for floats.
print(7 / 2, 8 / 2, -7 / 2, 1 / 3)
print(7 // 2, -7 // 2, 7 // -2, -7 // -2)
print(7.0 // 2, -7 // 2.0, 7.5 // 2, -0.5 // 1)
print(1 / 0, -1 / 0, 1 // 0.0, -1 // 0.0, 0/0 ~= 0/0)
print(math.mininteger // -1, math.mininteger * -1)

-- expect: 3.5	4.0	-3.5	0.33333333333333
-- expect: 3	-4	-4	3
-- expect: 3.0	-4.0	3.0	-1.0
-- expect: inf	-inf	inf	-inf	true
-- expect: -9223372036854775808	-9223372036854775808
