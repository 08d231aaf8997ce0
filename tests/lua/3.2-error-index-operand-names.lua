-- An index error names the indexed value by where it came from, as Lua 5.4 does: not
-- by the key. A call result or a value reached through __index has no name; t[1] is
-- "field 'integer index'" (for keys 0 to 255, the ones Lua's GETI takes); t[k] with k not a constant is "field '?'".
-- (Found by the differential generator's snippets: the key used to be named.)
local function strip(m) return (m:gsub("^[^:]+:%d+: ", "")) end
local function try(f) print(strip(select(2, pcall(f)))) end
local function f() end
try(function() return f().x end)
try(function() local t = {} return t.a.b end)
try(function() local t = {} return t[1].x end)
try(function() local t = {} return t[256].x end)
try(function() local t = {} return t[-1].x end)
try(function() local t = {} local k = "a" return t[k].x end)
try(function() local t = {} return t["a"].x end)
try(function() return (nil).x end)
try(function() return setmetatable({}, {__index = 5}).k end)
try(function() setmetatable({}, {__newindex = 5}).k = 1 end)

-- expect: attempt to index a nil value
-- expect: attempt to index a nil value (field 'a')
-- expect: attempt to index a nil value (field 'integer index')
-- expect: attempt to index a nil value (field '?')
-- expect: attempt to index a nil value (field '?')
-- expect: attempt to index a nil value (field '?')
-- expect: attempt to index a nil value (field 'a')
-- expect: attempt to index a nil value
-- expect: attempt to index a number value
-- expect: attempt to index a number value
