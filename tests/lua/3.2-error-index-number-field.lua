local t = {y = 1}
print(t.y.z)

-- expect error: attempt to index a number value (field 'y')
