-- Integer loops: inclusive limit, default step 1, negative steps, empty ranges.
for i = 1, 3 do print(i) end
for i = 10, 1, -4 do print(i) end
for i = 1, 0 do print("never") end
for i = 5, 5 do print("once", i) end
local n = 0
for i = -3, 3, 2 do n = n + i end
print(n)

-- expect: 1
-- expect: 2
-- expect: 3
-- expect: 10
-- expect: 6
-- expect: 2
-- expect: once	5
-- expect: 0
