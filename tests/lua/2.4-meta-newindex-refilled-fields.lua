-- A field set to nil is absent: setting it again goes to `__newindex` when the
-- metatable has one, and is a plain store when it has none (a class), in small
-- tables and in large (indexed) ones, with new fields added the same way.
local calls = {}
local watched = setmetatable({ x = 1 }, {
  __newindex = function(t, k, v) calls[#calls + 1] = k; rawset(t, k, v) end,
})
local function set_x(o, v) o.x = v end
set_x(watched, 2)
set_x(watched, nil)
set_x(watched, 3)
set_x(watched, 4)
print(watched.x, table.concat(calls, ","))

local Class = {}
Class.__index = Class
function Class.method() return "method" end
local function fill(o)
  o.a, o.b = 1, 2
  o.a = nil
  o.c = 3
  o.a = 10
  return o.a + o.b + o.c
end
local small = setmetatable({}, Class)
local large = setmetatable({}, Class)
for i = 1, 20 do large["f" .. i] = i end
print(fill(small), fill(large), small.method(), large.f20)
local count = 0
for _ in pairs(small) do count = count + 1 end
local lcount = 0
for _ in pairs(large) do lcount = lcount + 1 end
print(count, lcount)
-- expect: 4	x
-- expect: 15	15	method	20
-- expect: 3	23
