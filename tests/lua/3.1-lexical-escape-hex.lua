-- \xXX takes exactly two hexadecimal digits, in either case.
print("\x41\x42\x43", "\x61\x62c")
print("\x4a\x4A" == "JJ", #"\x00\x01", "\x7e")
print("\x311" == "11", "\x20" == " ")

-- expect: ABC	abc
-- expect: true	2	~
-- expect: true	true
