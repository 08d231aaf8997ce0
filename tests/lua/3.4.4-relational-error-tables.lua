local a, b = {}, {}
print(a == b)
print(a < b)

-- expect: false
-- expect error: attempt to compare two table values
