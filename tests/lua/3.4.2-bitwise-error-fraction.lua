local x = 3.5
print(x | 1)

-- expect error: number (local 'x') has no integer representation
