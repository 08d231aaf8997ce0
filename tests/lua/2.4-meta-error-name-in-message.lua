local obj = setmetatable({}, {__name = "Point"})
print(#obj)
local n = obj + 1

-- expect: 0
-- expect error: attempt to perform arithmetic on a Point value (local 'obj')
