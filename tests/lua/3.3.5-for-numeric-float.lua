-- If init or step is a float, the loop is a float loop.
for x = 0, 1, 0.25 do print(x) end
for x = 1.0, 3 do print(x) end
for x = 3, 1, -0.5 do io.write(x, " ") end
print()

-- expect: 0.0
-- expect: 0.25
-- expect: 0.5
-- expect: 0.75
-- expect: 1.0
-- expect: 1.0
-- expect: 2.0
-- expect: 3.0
-- expect: 3 2.5 2 1.5 1 
