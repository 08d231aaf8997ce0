-- A backward goto makes a loop; each pass gets fresh locals.
local fs = {}
local n = 1
::top::
do
  local v = n
  fs[n] = function() return v end
end
n = n + 1
if n <= 3 then goto top end
print(fs[1](), fs[2](), fs[3]())

-- expect: 1	2	3
