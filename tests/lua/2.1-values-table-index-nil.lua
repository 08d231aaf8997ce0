local t = {}
print(t[nil])
t[nil] = 1

-- expect: nil
-- expect error: table index is nil
