local s = "text"
local function g() return s() end
g()

-- expect error: attempt to call a string value (upvalue 's')
