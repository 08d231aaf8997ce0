-- A closure captures the loop's local copy; changing it does not affect the loop.
local fs = {}
for i = 1, 3 do
  fs[i] = function() i = i + 100; return i end
end
print(fs[1](), fs[1](), fs[2](), fs[3]())

-- expect: 101	201	102	103
