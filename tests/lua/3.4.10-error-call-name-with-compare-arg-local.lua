local a = 1
local f
f(a < 2)

-- expect error: attempt to call a nil value (local 'f')
