local f
f()

-- expect error: attempt to call a nil value (local 'f')
