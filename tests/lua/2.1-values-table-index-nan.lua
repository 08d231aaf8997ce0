local t = {}
print(t[0/0])
t[0/0] = 1

-- expect: nil
-- expect error: table index is NaN
