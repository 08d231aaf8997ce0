-- End-of-line sequences inside long strings become a single newline.
local s = [[a
bc
d]]
print(#s, s == "a\nb\nc\nd")

-- expect: 7	true
