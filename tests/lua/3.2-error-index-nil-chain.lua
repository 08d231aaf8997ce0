local t = {}
print(t.a.b + 1)

-- expect error: attempt to index a nil value (field 'a')
