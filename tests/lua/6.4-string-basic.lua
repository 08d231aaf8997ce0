-- len, sub, upper, lower, rep, reverse.
local s = "Hello, World"
print(s:len(), #s, s:upper(), s:lower())
print(s:sub(1, 5), s:sub(-5), s:sub(8, -1), s:sub(0), s:sub(5, 3), s:sub(-100, 2))
print(("ab"):rep(3), ("ab"):rep(3, "-"), ("x"):rep(0), ("abc"):reverse())

-- expect: 12	12	HELLO, WORLD	hello, world
-- expect: Hello	World	World	Hello, World		He
-- expect: ababab	ab-ab-ab		cba
