n = 42
n()

-- expect error: attempt to call a number value (global 'n')
