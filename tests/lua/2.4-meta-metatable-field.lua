-- __metatable protects a metatable: getmetatable returns it and setmetatable fails.
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t))
local ok, err = pcall(setmetatable, t, {})
print(ok, err)
print(getmetatable("abc").__index == string)

-- expect: locked
-- expect: false	cannot change a protected metatable
-- expect: true
