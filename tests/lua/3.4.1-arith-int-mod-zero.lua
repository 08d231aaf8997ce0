local x = 0
print(1.0 % x ~= 1.0 % x)
print(1 % x)

-- expect: true
-- expect error: attempt to perform 'n%0'
