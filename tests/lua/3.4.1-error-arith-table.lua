local t = {}
print(-t)

-- expect error: attempt to perform arithmetic on a table value (local 't')
