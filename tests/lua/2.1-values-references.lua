-- Tables and functions are objects: variables hold references to them.
local a = {}
local b = a
b.x = 10
print(a.x, a == b, {} == {})
local f = function() return 1 end
local g = f
print(f == g, (function() end) == (function() end))
local function make() return function() end end
print(make() == make())

-- expect: 10	true	false
-- expect: true	false
-- expect: false
