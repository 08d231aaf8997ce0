-- Cyclic garbage is collected: memory does not keep growing.
local function churn()
  for i = 1, 20000 do
    local a, b = {}, {}
    a.other, b.other = b, a
  end
end
churn()
collectgarbage()
local before = collectgarbage("count")
churn(); churn()
collectgarbage()
local after = collectgarbage("count")
print(after < before * 2 + 100)

-- expect: true
