print("start")
for i = 1, 10, 0 do print(i) end

-- expect: start
-- expect error: 'for' step is zero
