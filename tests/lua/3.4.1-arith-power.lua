-- ^ always converts to floats.
print(2 ^ 10, 2 ^ 0.5 == math.sqrt(2), 2 ^ -1, (-2) ^ 2, 10 ^ 2)
print(0 ^ 0, 4 ^ 0.5, 2 ^ 63)

-- expect: 1024.0	true	0.5	4.0	100.0
-- expect: 1.0	2.0	9.2233720368548e+18
