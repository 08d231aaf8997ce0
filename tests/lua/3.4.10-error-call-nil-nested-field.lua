local lib = {sub = {}}
lib.sub.fn("x")

-- expect error: attempt to call a nil value (field 'fn')
