-- ipairs walks 1..n until a nil; next on an empty table is nil.
local t = {"a", "b", "c", nil, "e"}
local n = 0
for i, v in ipairs(t) do n = i end
print(n)
print(next({}), next({10}))
local k, v = next({x = 1})
print(k, v)
local proxy = setmetatable({}, {__index = function(_, i) if i <= 3 then return i * 10 end end})
for i, v in ipairs(proxy) do print(i, v) end

-- expect: 3
-- expect: nil	1	10
-- expect: x	1
-- expect: 1	10
-- expect: 2	20
-- expect: 3	30
