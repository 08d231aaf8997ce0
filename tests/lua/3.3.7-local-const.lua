-- <const> locals hold their value; constant expressions can use them.
local a <const> = 10
local b <const>, c = 20, 30
local s <const> = "text"
print(a + b, c, s)
local function f() return a * 2 end
print(f())
local x <const> = nil
print(x)

-- expect: 30	30	text
-- expect: 20
-- expect: nil
