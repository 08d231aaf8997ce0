-- __newindex runs only for absent keys; as a table it redirects the assignment.
local log = {}
local t = setmetatable({}, {__newindex = function(tbl, k, v) log[#log + 1] = k; rawset(tbl, k, v * 2) end})
t.a = 1
t.a = 5
print(t.a, #log)
local store = {}
local proxy = setmetatable({}, {__newindex = store})
proxy.x = "stored"
print(rawget(proxy, "x"), store.x)

-- expect: 5	1
-- expect: nil	stored
