-- The forms of function definitions.
local t = {a = {b = {}}}
function t.a.b.f(x) return x + 1 end
function t.a.b:m(x) return self == t.a.b, x end
print(t.a.b.f(1), t.a.b:m(2))
local function rec(n) if n > 0 then return rec(n - 1) end return "done" end
print(rec(3))
local anon = function(...) return ... end
print(anon(1, 2))
g = function() return "g" end
print(g())

-- expect: 2	true	2
-- expect: done
-- expect: 1	2
-- expect: g
