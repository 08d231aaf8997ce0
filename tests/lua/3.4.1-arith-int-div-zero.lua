local x = 0
print(1.0 // x)
print(1 // x)

-- expect: inf
-- expect error: attempt to divide by zero
