local t = {}
print(#t.list)

-- expect error: attempt to get length of a nil value (field 'list')
