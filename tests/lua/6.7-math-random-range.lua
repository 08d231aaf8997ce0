-- math.random stays within its bounds (values themselves are not compared).
math.randomseed(42)
local ok = true
for i = 1, 1000 do
  local r = math.random(1, 6)
  if r < 1 or r > 6 or math.type(r) ~= "integer" then ok = false end
  local f = math.random()
  if f < 0 or f >= 1 then ok = false end
end
print(ok, math.random(7, 7), math.random(1))
print(pcall(math.random, 2, 1))

-- expect: true	7	1
-- expect: false	bad argument #1 to 'math.random' (interval is empty)
