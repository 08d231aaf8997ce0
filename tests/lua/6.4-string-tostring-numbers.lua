-- Number to string conversions used by tostring and concatenation.
print(tostring(1e15), tostring(1e16), tostring(0.1), tostring(-1.5), tostring(2^63))
print(tostring(123456789012), tostring(3.0), tostring(1/0), tostring(-1/0))
print(string.format("%.14g", 0.1), 2^-1074 > 0)

-- expect: 1e+15	1e+16	0.1	-1.5	9.2233720368548e+18
-- expect: 123456789012	3.0	inf	-inf
-- expect: 0.1	true
