-- Strings are converted to numbers in arithmetic (via the string library's metamethods).
print("10" + 1, "3.0" + 1, "0x10" * 1, " 5 " - 1, "1e2" / 1)
print(10 .. "", -"2", "2" ^ "3", "7" // "2", "7" % "2")
print(math.type("10" + 0), math.type("10.0" + 0))

-- expect: 11	4.0	16	4	100.0
-- expect: 10	-2	8.0	3	1
-- expect: integer	float
