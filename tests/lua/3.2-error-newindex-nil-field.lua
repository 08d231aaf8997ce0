local t = {}
t.x.y = 1

-- expect error: attempt to index a nil value (field 'x')
