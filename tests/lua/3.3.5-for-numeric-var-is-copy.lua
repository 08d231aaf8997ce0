-- Changing the loop variable does not change the iteration; the limit is evaluated once.
for i = 1, 3 do
  local seen = i
  i = i * 10
  print(seen, i)
end
local limit = 2
for i = 1, limit do limit = 10; print("iter", i) end

-- expect: 1	10
-- expect: 2	20
-- expect: 3	30
-- expect: iter	1
-- expect: iter	2
