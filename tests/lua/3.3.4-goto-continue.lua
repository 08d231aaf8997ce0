-- goto to a label at the end of the loop body acts as continue.
for i = 1, 6 do
  if i % 2 == 0 then goto continue end
  print(i)
  ::continue::
end
local i = 0
while i < 5 do
  i = i + 1
  if i == 2 or i == 4 then goto next end
  print("w", i)
  ::next::
end

-- expect: 1
-- expect: 3
-- expect: 5
-- expect: w	1
-- expect: w	3
-- expect: w	5
