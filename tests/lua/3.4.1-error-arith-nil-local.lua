local a
local b = 2 * a

-- expect error: attempt to perform arithmetic on a nil value (local 'a')
