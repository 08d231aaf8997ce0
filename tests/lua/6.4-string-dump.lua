-- string.dump turns a Lua function into a binary chunk that load accepts (mode "b"),
-- with or without debug information; host functions cannot be dumped.
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
local function adder(a, b, ...) local t = {...}; return a + b + #t, string.format("%d", a) end
local d = string.dump(adder)
print(type(d), #d > 0)
local g = load(d, "adder", "b")
print(g(1, 2, 3, 4))
print(load(string.dump(adder, true))(5, 6))
print(load(d, "x", "t"))
print(pcall(string.dump, print))
local nested = function() local x = 10; return function(y) return x + y end end
print(load(string.dump(nested))()(5))

-- expect: string	true
-- expect: 5	1
-- expect: 11	5
-- expect: nil	attempt to load a binary chunk (mode is 't')
-- expect: false	unable to dump given function
-- expect: 15
