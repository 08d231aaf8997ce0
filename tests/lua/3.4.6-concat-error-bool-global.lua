flag = true
print(flag .. "x")

-- expect error: attempt to concatenate a boolean value (global 'flag')
