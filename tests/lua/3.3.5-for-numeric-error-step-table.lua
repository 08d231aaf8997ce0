for i = 1, 2, {} do print(i) end

-- expect error: bad 'for' step (number expected, got table)
