-- Loops, closures capturing loop variables, break and goto.
local fs = {}
for i = 1, 10, 2 do
  fs[i] = function() return i end
  if i > 5 then break end
end
for k, v in next, fs do
  if v then goto continue end
  print(k)
  ::continue::
end
local n = 0
while true do
  local m = n
  fs[m] = function() return m end
  n = n + 1
  if n == 3 then break end
end
return fs
