flag = false
print(flag[1])

-- expect error: attempt to index a boolean value (global 'flag')
