print("start")
undefined_function(1, 2)

-- expect: start
-- expect error: attempt to call a nil value (global 'undefined_function')
