-- repeat ... until: the condition can see locals declared in the body.
local i = 0
repeat
  local j = i * 2
  i = i + 1
until j >= 6
print(i)
local runs = 0
repeat runs = runs + 1 until true
print(runs)

-- expect: 4
-- expect: 1
