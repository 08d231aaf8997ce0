-- Integer keys the array part does not hold: 0, negative and sparse keys, read,
-- overwritten, removed and read again, in small hash parts (searched in order) and
-- large ones (indexed), with and without metatables.
local t = {}
for i = 0, 5 do t[i] = i * 10 end
t[-3] = "minus three"
t[1000] = "far"
print(t[0], t[5], t[-3], t[1000], t[6], t[-4])
for round = 1, 3 do
  t[0], t[5] = t[5], t[0]
end
print(t[0], t[5])
t[0] = nil
print(t[0], t[1000])
t[0] = "back"
print(t[0])

local big = {}
for i = 1, 40 do big[i * 7] = i end
big[0] = "zero"
local sum = 0
for i = 1, 40 do sum = sum + big[i * 7] end
print(sum, big[0], big[8], big[280])
for i = 1, 40 do big[i * 7] = big[i * 7] * 2 end
sum = 0
for i = 1, 40 do sum = sum + big[i * 7] end
print(sum)

local seen = {}
local proxy = setmetatable({ [0] = "own" }, {
  __index = function(_, k) return "index " .. k end,
  __newindex = function(_, k, v) seen[#seen + 1] = k .. "=" .. tostring(v) end,
})
print(proxy[0], proxy[-1], proxy[2])
proxy[0] = "replaced"
proxy[-1] = "new"
proxy[0] = nil
proxy[0] = "again"
print(proxy[0], table.concat(seen, " "))

-- Appends: the next key of an array with room, with keys waiting in the hash part to
-- move over after it, and past a `__newindex` that must see the new key.
local list = {}
for i = 1, 100 do list[i] = i end
local waiting = {}
waiting[3], waiting[2] = "c", "b"
waiting[1] = "a"
local n = 0
for _ in ipairs(waiting) do n = n + 1 end
print(#list, list[100], #waiting, n)
local logged = setmetatable({}, { __newindex = function(t, k, v) rawset(t, k, v .. "!") end })
for i = 1, 3 do logged[i] = "v" .. i end
print(#logged, logged[1], logged[3])
-- expect: 0	50	minus three	far	nil	nil
-- expect: 50	0
-- expect: nil	far
-- expect: back
-- expect: 820	zero	nil	40
-- expect: 1640
-- expect: own	index -1	index 2
-- expect: index 0	-1=new 0=again
-- expect: 100	100	3	3
-- expect: 3	v1!	v3!
