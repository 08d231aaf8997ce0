-- load compiles a string chunk; syntax errors are returned, not raised.
local f = load("return 1 + 1")
print(f())
local g = load("local a, b = ... return a * b")
print(g(6, 7))
local bad, err = load("return +")
print(bad, type(err))
local env = {x = 5}
local h = load("return x", "chunk", "t", env)
print(h())

-- expect: 2
-- expect: 42
-- expect: nil	string
-- expect: 5
