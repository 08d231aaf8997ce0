-- and/or return one of their operands.
print(10 or 20, nil or "a", nil and 10, false and nil, false or nil)
print(10 and 20, 1 and nil, nil or false, false or false)
print(not nil, not 10, not not nil)
local x
print(x and x.field or "default")

-- expect: 10	a	nil	false	nil
-- expect: 20	nil	false	false
-- expect: true	false	false
-- expect: default
