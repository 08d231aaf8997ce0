print("10" <= 5)

-- expect error: attempt to compare string with number
