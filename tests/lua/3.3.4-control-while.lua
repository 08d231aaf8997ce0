-- while tests its condition before each iteration.
local i, sum = 1, 0
while i <= 10 do sum = sum + i; i = i + 1 end
print(sum, i)
while false do print("never") end
local n = 0
while true do
  n = n + 1
  if n == 5 then break end
end
print(n)

-- expect: 55	11
-- expect: 5
