local big = 2^63
print(big | 0)

-- expect error: number (local 'big') has no integer representation
