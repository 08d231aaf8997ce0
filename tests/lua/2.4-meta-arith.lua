-- The arithmetic metamethods, tried on the first operand then the second.
local mt = {}
local function V(x) return setmetatable({x = x}, mt) end
local function val(a) return type(a) == "table" and a.x or a end
mt.__add = function(a, b) return V(val(a) + val(b)) end
mt.__sub = function(a, b) return V(val(a) - val(b)) end
mt.__mul = function(a, b) return V(val(a) * val(b)) end
mt.__div = function(a, b) return V(val(a) / val(b)) end
mt.__mod = function(a, b) return V(val(a) % val(b)) end
mt.__pow = function(a, b) return V(val(a) ^ val(b)) end
mt.__unm = function(a) return V(-val(a)) end
mt.__idiv = function(a, b) return V(val(a) // val(b)) end
print((V(7) + 3).x, (3 + V(7)).x, (V(7) - V(2)).x, (V(7) * 2).x)
print((V(7) / 2).x, (V(7) % 4).x, (V(2) ^ 3).x, (-V(5)).x, (V(7) // 2).x)

-- expect: 10	10	5	14
-- expect: 3.5	3	8.0	-5	3
