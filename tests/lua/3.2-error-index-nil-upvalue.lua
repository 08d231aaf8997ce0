local u
local function f() return u.field end
f()

-- expect error: attempt to index a nil value (upvalue 'u')
