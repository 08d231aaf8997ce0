-- __call makes a value callable; it receives the value first.
local callable = setmetatable({name = "obj"}, {__call = function(self, a, b) return self.name, a, b end})
print(callable(1, 2))
print(pcall(callable, "p"))
local counter = setmetatable({n = 0}, {__call = function(self) self.n = self.n + 1; return self.n end})
counter(); counter()
print(counter())

-- expect: obj	1	2
-- expect: true	obj	p	nil
-- expect: 3
