local obj = {}
obj:missing()

-- expect error: attempt to call a nil value (method 'missing')
