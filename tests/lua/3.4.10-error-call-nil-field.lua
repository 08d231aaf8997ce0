local t = {}
t.y()

-- expect error: attempt to call a nil value (field 'y')
