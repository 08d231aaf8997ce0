-- Finalizers run for each collected object; they may see the object's fields.
local seen = {}
for i = 1, 3 do
  setmetatable({id = i}, {__gc = function(o) seen[#seen + 1] = o.id end})
end
collectgarbage()
table.sort(seen)
print(#seen, table.concat(seen, ","))

-- expect: 3	1,2,3
