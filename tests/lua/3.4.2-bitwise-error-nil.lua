print(undefinedvar << 1)

-- expect error: attempt to perform bitwise operation on a nil value (global 'undefinedvar')
