local ok = true
print(ok / 2)

-- expect error: attempt to perform arithmetic on a boolean value (local 'ok')
