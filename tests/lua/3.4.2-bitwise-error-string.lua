local s = "abc"
print(s & 1)

-- expect error: attempt to perform bitwise operation on a string value (local 's')
