local t = {}
print(~t)

-- expect error: attempt to perform bitwise operation on a table value (local 't')
