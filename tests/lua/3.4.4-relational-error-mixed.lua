print(1 < "2")

-- expect error: attempt to compare number with string
