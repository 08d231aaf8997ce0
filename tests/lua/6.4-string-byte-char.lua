-- byte and char convert between bytes and strings.
print(("ABC"):byte(), ("ABC"):byte(2), ("ABC"):byte(1, -1), ("ABC"):byte(10))
print(string.char(72, 105), string.char(), #string.char(0, 255))
print(pcall(string.char, 256))

-- expect: 65	66	65
-- expect: Hi		2
-- expect: false	bad argument #1 to 'string.char' (value out of range)
