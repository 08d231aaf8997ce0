-- load of a number compiles its text, as Lua converts it with lua_tolstring; anything
-- else that is not a string must be a reader function. (Found by the differential
-- generator: numbers used to be refused.)
print(load(16))
print(load(16, "=n"))
print(select(2, pcall(load, {})))
print(load("return 2.5")(), load(2.5))

-- expect: nil	[string "16"]:1: unexpected symbol near '16'
-- expect: nil	n:1: unexpected symbol near '16'
-- expect: bad argument #1 to 'load' (function expected, got table)
-- expect: 2.5	nil	[string "2.5"]:1: unexpected symbol near '2.5'
