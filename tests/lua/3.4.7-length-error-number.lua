local n = 5
print(#n)

-- expect error: attempt to get length of a number value (local 'n')
