-- The called variable is named even when an argument is a comparison.
print("start")
undefined_function(1 == 2, "x")

-- expect: start
-- expect error: attempt to call a nil value (global 'undefined_function')
