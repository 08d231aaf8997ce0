local obj
obj:method()

-- expect error: attempt to index a nil value (local 'obj')
