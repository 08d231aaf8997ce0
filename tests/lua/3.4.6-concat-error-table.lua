local t = {}
print("x" .. t)

-- expect error: attempt to concatenate a table value (local 't')
