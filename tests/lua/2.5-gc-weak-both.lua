-- __mode "kv": entries go when either the key or the value is collected.
local t = setmetatable({}, {__mode = "kv"})
local key, val = {}, {}
t[key] = val
t[{}] = val
t[1] = {}
t.strong = "s"
collectgarbage()
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, t[key] == val, t.strong)

-- expect: 2	true	s
