print(true < false)

-- expect error: attempt to compare two boolean values
