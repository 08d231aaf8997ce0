-- v:name(args) is sugar for v.name(v, args), with v evaluated once.
local obj = {n = 0}
function obj:inc(by) self.n = self.n + (by or 1); return self end
obj:inc():inc(10)
print(obj.n)
local evaluated = 0
local function get() evaluated = evaluated + 1; return obj end
get():inc()
print(obj.n, evaluated)
print(obj.inc(obj, 100).n)

-- expect: 11
-- expect: 12	1
-- expect: 112
