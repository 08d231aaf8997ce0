local t = {}
print(t.a.b)

-- expect error: attempt to index a nil value (field 'a')
