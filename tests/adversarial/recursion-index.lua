-- Recursion through __index functions: each level is a Lua frame, so it ends at the
-- Lua call-depth limit.
-- expect error: stack overflow
local t = setmetatable({}, {})
getmetatable(t).__index = function(t, k) return t[k] end
print(t.a)
