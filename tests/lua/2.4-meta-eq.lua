-- __eq is tried only for two distinct tables (or userdata); the result is a boolean.
local mt = {__eq = function(a, b) return a.id == b.id end}
local a = setmetatable({id = 1}, mt)
local b = setmetatable({id = 1}, mt)
local c = setmetatable({id = 2}, mt)
print(a == b, a == c, a ~= b, a == a, a == 1)
local only_one = setmetatable({id = 1}, {})
print(a == only_one, only_one == a)
local truthy = setmetatable({}, {__eq = function() return "yes" end})
print(truthy == {})

-- expect: true	false	false	true	false
-- expect: true	true
-- expect: true
