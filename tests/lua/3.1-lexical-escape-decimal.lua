-- \ddd takes up to three decimal digits.
print("\65\066\0677", "\072\105")
print(#"\0", #"a\0b", "\0" == "\00", "\000" == "\x00")
print("\0499" == "19", "\9" == "\t", "\1234" == "{4")

-- expect: ABC7	Hi
-- expect: 1	3	true	true
-- expect: true	true	true
