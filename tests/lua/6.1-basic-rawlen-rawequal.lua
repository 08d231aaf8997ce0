-- rawlen and rawequal.
print(rawlen({1, 2}), rawlen(""), rawequal("a", "a"), rawequal({}, {}), rawequal(1, 1.0))
print(pcall(rawlen, 5))

-- expect: 2	0	true	false	true
-- expect: false	bad argument #1 to 'rawlen' (table or string expected, got number)
