-- local function f can call itself; local f = function cannot (f is not yet in scope).
local function a(n) if n == 0 then return "a done" end return a(n - 1) end
print(a(3))
local b = function(n) return b end
print(b(1))
b = nil

-- expect: a done
-- expect: nil
