for i = 1.0, 2.0, 0.0 do print(i) end

-- expect error: 'for' step is zero
