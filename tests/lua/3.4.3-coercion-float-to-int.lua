-- Float to integer conversion only succeeds for exact integral values.
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger(2^63), math.tointeger("8"))
print(string.rep("x", 3.0))
print(pcall(string.rep, "x", 3.5))

-- expect: 3	nil	nil	8
-- expect: xxx
-- expect: false	bad argument #2 to 'string.rep' (number has no integer representation)
