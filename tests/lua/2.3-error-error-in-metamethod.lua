-- Errors raised inside metamethods propagate to the caller's pcall.
local t = setmetatable({}, {__index = function(_, k) error("no field " .. k, 0) end})
print(pcall(function() return t.missing end))
local u = setmetatable({}, {__add = function() error({}) end})
local ok, e = pcall(function() return u + 1 end)
print(ok, type(e))

-- expect: false	no field missing
-- expect: false	table
