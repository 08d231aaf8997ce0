-- Library functions report bad arguments with the function's name.
print(pcall(setmetatable, 1, {}))
print(pcall(ipairs))
print(pcall(string.rep))
print(pcall(("x").rep, "x", {}))

-- expect: false	bad argument #1 to 'setmetatable' (table expected, got number)
-- expect: false	bad argument #1 to 'ipairs' (value expected)
-- expect: false	bad argument #1 to 'string.rep' (string expected, got no value)
-- expect: false	bad argument #2 to 'string.rep' (number expected, got table)
