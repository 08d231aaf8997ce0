print("before")
local y = x + 1

-- expect: before
-- expect error: attempt to perform arithmetic on a nil value (global 'x')
