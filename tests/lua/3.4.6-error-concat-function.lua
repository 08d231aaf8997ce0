print("x" .. print)

-- expect error: attempt to concatenate a function value (global 'print')
