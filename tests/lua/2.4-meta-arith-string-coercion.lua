-- Arithmetic on strings goes through the string metatable's metamethods.
local mt = getmetatable("")
print(type(mt.__add), type(mt.__unm), mt.__band)
print("2" * "3", -"1.5")

-- expect: function	function	nil
-- expect: 6	-1.5
