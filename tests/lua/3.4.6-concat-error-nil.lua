local name
print("hello " .. name)

-- expect error: attempt to concatenate a nil value (local 'name')
