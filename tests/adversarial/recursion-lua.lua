-- Unbounded Lua recursion ends in "stack overflow", which pcall can catch.
-- expect: false	true
-- expect error: stack overflow
local function f(n) return 1 + f(n + 1) end
local ok, e = pcall(f, 1)
print(ok, string.find(e, "stack overflow", 1, true) ~= nil)
f(1)
