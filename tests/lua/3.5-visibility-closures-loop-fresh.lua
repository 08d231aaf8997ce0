-- Each loop iteration creates a fresh local (numeric for, generic for, while body).
local fs = {}
for i = 1, 3 do fs[#fs + 1] = function() return i end end
for _, v in ipairs({"a", "b"}) do fs[#fs + 1] = function() return v end end
local n = 0
while n < 2 do
  n = n + 1
  local m = n * 100
  fs[#fs + 1] = function() return m end
end
for k = 1, #fs do io.write(tostring(fs[k]()), " ") end
print()

-- expect: 1 2 3 a b 100 200 
