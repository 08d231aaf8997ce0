-- The loop variable is an integer in an integer loop and a float in a float loop.
for i = 1, 2 do print(i, i / 1, i // 1) end
for i = 1.0, 2 do print(i) end
for i = 1, 2, 1.0 do print(i) end

-- expect: 1	1.0	1
-- expect: 2	2.0	2
-- expect: 1.0
-- expect: 2.0
-- expect: 1.0
-- expect: 2.0
