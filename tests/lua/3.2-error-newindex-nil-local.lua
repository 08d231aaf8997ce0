local t
t[1] = 1

-- expect error: attempt to index a nil value (local 't')
