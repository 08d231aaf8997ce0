-- Numbers are converted to strings when concatenated.
print(1 .. 2, 1.5 .. "|", -0.0 .. "", 2^63 .. "", 10 // 1 .. "")
print(1e100 .. "", 3 .. "" == "3", 3.0 .. "")

-- expect: 12	1.5|	-0.0	9.2233720368548e+18	10
-- expect: 1e+100	true	3.0
