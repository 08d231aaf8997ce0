-- The second operand is evaluated only if needed.
local calls = 0
local function side(v) calls = calls + 1; return v end
local _ = side(false) and side(true)
local _ = side(true) or side(false)
print(calls)
local _ = side(true) and side(false) or side("third")
print(calls)
local t = nil
print(t ~= nil and t.x)

-- expect: 2
-- expect: 5
-- expect: false
