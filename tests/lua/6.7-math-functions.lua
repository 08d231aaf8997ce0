-- sqrt, exp, log, trigonometry, fmod, modf, ult, tointeger, type.
print(math.sqrt(16), math.exp(0), math.log(1), math.log(8, 2), math.log(100, 10))
print(string.format("%.4f %.4f %.4f", math.sin(math.pi / 2), math.cos(0), math.atan(1) * 4))
print(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3), math.fmod(7.5, 2))
print(math.modf(3.7), math.modf(-3.7), math.modf(5))
print(math.ult(1, -1), math.ult(-1, 1), math.tointeger(5.0), math.type(1), math.type(1.0), math.type("1"))
print(pcall(math.fmod, 1, 0))

-- expect: 4.0	1.0	0.0	3.0	2.0
-- expect: 1.0000 1.0000 3.1416
-- expect: 1	-1	1	1.5
-- expect: 3	-3	5	0.0
-- expect: true	false	5	integer	float	nil
-- expect: false	bad argument #2 to 'math.fmod' (zero)
