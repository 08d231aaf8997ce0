-- tostring and tonumber on numbers, booleans, nil and bases.
print(tostring(10), tostring(10.0), tostring(-0.0), tostring(nil), tostring(true))
print(tonumber("10"), tonumber("10.5"), tonumber(12), tonumber("x"), tonumber(nil))
print(tonumber("ff", 16), tonumber("777", 8), tonumber("zz", 36), tonumber("102", 2), tonumber("11", 2))
print(tonumber("  -ff ", 16), tonumber("7fffffffffffffff", 16))

-- expect: 10	10.0	-0.0	nil	true
-- expect: 10	10.5	12	nil	nil
-- expect: 255	511	1295	nil	3
-- expect: -255	9223372036854775807
