local t = {1, 2}
for k, v in t do print(k, v) end

-- expect error: attempt to call a table value
