local t = {}
print(t.count - 1)

-- expect error: attempt to perform arithmetic on a nil value (field 'count')
