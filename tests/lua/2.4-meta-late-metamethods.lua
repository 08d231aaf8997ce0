-- Metamethods and fields added, changed and removed after a metatable is in use: every
-- change takes effect at the next access (lookups keep filters and hints, not copies).
local Class = {}
local obj = setmetatable({x = 1}, Class)
local function probe() return obj.y, obj.m end
print(probe())
Class.__index = {y = 2}
print(probe())
rawset(Class, "__index", {m = "rawset"})
print(probe())
Class.__index = function(_, k) return "fn " .. k end
print(probe())
Class.__index = nil
print(probe())
Class.__index = Class
Class.y = 3
print(probe())
Class.y = nil
print(probe())

-- A method added to a class, then shadowed and unshadowed in the object.
function Class:m() return "class m" end
print(obj:m())
obj.m = function() return "own m" end
print(obj:m())
obj.m = nil
print(obj:m())

-- __newindex added later, through a plain store and through rawset, then removed.
local log = {}
obj.a = 1
Class.__newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v * 10) end
obj.b = 2
obj.a = 5
rawset(Class, "__newindex", nil)
obj.c = 3
print(obj.a, obj.b, obj.c, table.concat(log, ","))
rawset(Class, "__newindex", {})
obj.d = 4
print(rawget(obj, "d"), rawget(Class.__newindex, "d"))

-- Two levels: a method added to the base after the subclass is in use.
local Base = {}
Base.__index = Base
local Sub = setmetatable({}, Base)
Sub.__index = Sub
local s = setmetatable({}, Sub)
print(s.late)
function Base.late() return "late" end
print(s.late())
Base.__index = {late = function() return "replaced" end}
print(s.late())

-- Many string keys (an indexed hash part), removed and added back through compaction:
-- absent keys stay absent and present ones are found.
local t = {}
for i = 1, 40 do t["k" .. i] = i end
for i = 1, 40, 2 do t["k" .. i] = nil end
for i = 41, 80 do t["k" .. i] = i end
local sum, n = 0, 0
for k, v in pairs(t) do sum = sum + v; n = n + 1 end
print(n, sum, t.k1, t.k2, t.k79, t.k81, t.__index)
for i = 1, 80 do t["k" .. i] = nil end
print(next(t), t.k2)
t.k2 = "again"
print(next(t))

-- expect: nil	nil
-- expect: 2	nil
-- expect: nil	rawset
-- expect: fn y	fn m
-- expect: nil	nil
-- expect: 3	nil
-- expect: nil	nil
-- expect: class m
-- expect: own m
-- expect: class m
-- expect: 5	20	3	b
-- expect: nil	4
-- expect: nil
-- expect: late
-- expect: replaced
-- expect: 60	2840	nil	2	79	nil	nil
-- expect: nil	nil
-- expect: k2	again
