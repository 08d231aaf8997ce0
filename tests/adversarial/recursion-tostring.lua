-- Recursion through tostring and __tostring crosses the host boundary every level.
-- expect error: stack overflow
local t = setmetatable({}, {__tostring = function(self) return tostring(self) end})
print(tostring(t))
