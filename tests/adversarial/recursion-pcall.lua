-- Recursion through pcall: every level is caught, so the overflow surfaces as a value.
-- expect: false
local function f() local ok, e = pcall(f); if not ok then error(e, 0) end end
local ok, e = pcall(f)
print(ok)
assert(string.find(e, "stack overflow", 1, true), e)
