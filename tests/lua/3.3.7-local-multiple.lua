-- local declarations with several names, initial values adjusted, and local x = x.
local a, b, c = 1, 2
print(a, b, c)
local x = 5
local x = x + 1
print(x)
local function two() return 1, 2 end
local p, q, r = two()
print(p, q, r)
local u, v = two(), 10
print(u, v)

-- expect: 1	2	nil
-- expect: 6
-- expect: 1	2	nil
-- expect: 1	10
