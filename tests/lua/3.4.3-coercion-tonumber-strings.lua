-- tonumber follows the lexical rules for numerals, plus surrounding spaces and a sign.
print(tonumber("0x1p4"), tonumber("  10  "), tonumber("-7"), tonumber("- 7"))
print(tonumber("1e"), tonumber(""), tonumber("0x"), tonumber("1 2"), tonumber(".5"))
print(tonumber("9223372036854775808"), tonumber("0xffffffffffffffff"))
print(tonumber("inf"), tonumber("nan"), tonumber("1e500"))

-- expect: 16.0	10	-7	nil
-- expect: nil	nil	nil	nil	0.5
-- expect: 9.2233720368548e+18	-1
-- expect: nil	nil	inf
