-- break leaves only the innermost loop.
local out = ""
for i = 1, 3 do
  for j = 1, 3 do
    if j > i then break end
    out = out .. " " .. i .. j
  end
end
print(out)
local k = 0
repeat
  k = k + 1
  if k == 3 then break end
until false
print(k)

-- expect:  11 21 22 31 32 33
-- expect: 3
