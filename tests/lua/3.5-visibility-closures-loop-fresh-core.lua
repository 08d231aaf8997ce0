-- Fresh loop variables per iteration, with core features only.
local f1, f2, f3
for i = 1, 3 do
  local g = function() return i end
  if i == 1 then f1 = g elseif i == 2 then f2 = g else f3 = g end
end
print(f1(), f2(), f3())
local function iter(_, k) if k < 2 then return k + 1 end end
local a, b
for k in iter, nil, 0 do
  if k == 1 then a = function() return k end else b = function() return k end end
end
print(a(), b())
local c = {}
local j = 0
repeat
  j = j + 1
  local v = j
  c[j] = function() v = v + 10; return v end
until j == 2
print(c[1](), c[1](), c[2]())

-- expect: 1	2	3
-- expect: 1	2
-- expect: 11	21	12
