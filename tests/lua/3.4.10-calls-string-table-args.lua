-- f{...} and f"..." / f[[...]] are calls with a single argument.
local function show(x) if type(x) == "table" then return "table " .. #x end return "string " .. x end
print(show{1, 2, 3})
print(show"abc")
print(show[[long]])
local obj = {name = "o"}
function obj:greet(s) return self.name .. s end
print(obj:greet"!")

-- expect: table 3
-- expect: string abc
-- expect: string long
-- expect: o!
