-- A backslash followed by a real line break puts a newline in the string.
local s = "first\
second"
print(s)
print(#s, s == "first\nsecond")

-- expect: first
-- expect: second
-- expect: 12	true
