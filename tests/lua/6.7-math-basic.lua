-- floor/ceil give integers; abs, max, min keep the argument types.
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.floor(5))
print(math.abs(-4), math.abs(-4.5), math.max(1, 5, 3), math.min(2.5, 1), math.max(1, 2.0))
print(math.huge, -math.huge, math.pi)
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)

-- expect: 3	4	-4	-3	5
-- expect: 4	4.5	5	1	2.0
-- expect: inf	-inf	3.1415926535898
-- expect: 9223372036854775807	-9223372036854775808	true
