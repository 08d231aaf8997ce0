local n
for i = 1, n do print(i) end

-- expect error: bad 'for' limit (number expected, got nil)
