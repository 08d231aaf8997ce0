print({} < {})

-- expect error: attempt to compare two table values
