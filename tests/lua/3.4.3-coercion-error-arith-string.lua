print("abc" + 1)

-- expect error: attempt to add a 'string' with a 'number'
