-- \z skips the following run of white space, including line breaks.
local s = "abc\z
           def\z     ghi"
print(s, #s)
local t = "one \z

    two"
print(t)
print("x\z y")

-- expect: abcdefghi	9
-- expect: one two
-- expect: xy
