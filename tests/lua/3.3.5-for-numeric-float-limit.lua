-- An integer loop with a float limit: the limit is floored (or ceiled for negative steps).
for i = 1, 3.7 do print(i) end
for i = 3, 1.2, -1 do print("down", i) end
for i = 1, 0.5 do print("never") end
for i = 1, 1e300 do if i > 2 then break end print("huge", i) end
for i = -1, -1e300, -1 do if i < -2 then break end print("neg huge", i) end

-- expect: 1
-- expect: 2
-- expect: 3
-- expect: down	3
-- expect: down	2
-- expect: huge	1
-- expect: huge	2
-- expect: neg huge	-1
-- expect: neg huge	-2
