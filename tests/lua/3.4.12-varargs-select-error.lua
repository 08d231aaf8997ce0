print(select(-4, "a", "b", "c"))

-- expect error: bad argument #1 to 'select' (index out of range)
