-- __lt and __le; a > b is b < a and a >= b is b <= a.
local mt = {}
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local function N(v) return setmetatable({v = v}, mt) end
print(N(1) < N(2), N(2) < N(1), N(1) <= N(1), N(2) > N(1), N(1) >= N(2))
local truthy = {__lt = function() return 1 end, __le = function() return nil end}
local x, y = setmetatable({}, truthy), setmetatable({}, truthy)
print(x < y, x <= y, x > y)

-- expect: true	false	true	true	false
-- expect: true	false	true
