local a = setmetatable({}, {})
print(a + 1)

-- expect error: attempt to perform arithmetic on a table value (local 'a')
