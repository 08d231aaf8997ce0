-- break out of a loop whose body created closures over its locals.
local fs = {}
local i = 0
while true do
  i = i + 1
  local v = i * 10
  fs[i] = function() return v end
  if i == 3 then break end
end
print(fs[1](), fs[2](), fs[3]())

-- expect: 10	20	30
