-- assert returns all its arguments on success and raises its message on failure.
print(assert(1, "unused", 3))
print(pcall(assert, false))
print(pcall(assert, nil, "custom message"))
local t = {}
local ok, e = pcall(assert, false, t)
print(ok, e == t)

-- expect: 1	unused	3
-- expect: false	assertion failed!
-- expect: false	custom message
-- expect: false	true
