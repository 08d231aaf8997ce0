-- Any value can be an error object; it is passed through unchanged.
local obj = {code = 42}
local ok, e = pcall(error, obj)
print(ok, e == obj, e.code)
print(pcall(error, 123))
print(pcall(error, nil))
print(pcall(error, false))
print(pcall(error))

-- expect: false	true	42
-- expect: false	123
-- expect: false	nil
-- expect: false	false
-- expect: false	nil
