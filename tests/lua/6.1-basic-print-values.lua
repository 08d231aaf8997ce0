-- print separates values with tabs and converts with tostring.
print(1, "two", 3.0, nil, false)
print()
print("", "")
print(setmetatable({}, {__tostring = function() return "custom" end}))

-- expect: 1	two	3.0	nil	false
-- expect:
-- expect: 	
-- expect: custom
