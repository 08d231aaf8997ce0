local n
print(n == 1)
print(1 <= n)

-- expect: false
-- expect error: attempt to compare number with nil
