-- Integers and floats are subtypes of number.
print(math.type(1), math.type(1.0), math.type("1"), math.type(2^53))
print(1, 1.0, -0.0, 1e100, 2^53)
print(3 // 1, 3.0 // 1, 7 / 7)

-- expect: integer	float	nil	float
-- expect: 1	1.0	-0.0	1e+100	9.007199254741e+15
-- expect: 3	3.0	1.0
