-- A small class hierarchy with __index.
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name); return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks" end
function Dog:base() return Animal.speak(self) end
local d = Dog.new("rex")
print(d:speak(), d:base(), getmetatable(d) == Dog)

-- expect: rex barks	rex makes a sound	true
