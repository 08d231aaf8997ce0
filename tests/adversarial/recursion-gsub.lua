-- Recursion through string.gsub callbacks.
-- expect error: stack overflow
local function f(s) return (string.gsub(s, ".", f)) end
print(f("x"))
