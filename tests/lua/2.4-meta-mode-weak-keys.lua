-- A weak-keyed table loses entries whose keys are only reachable through it.
local t = setmetatable({}, {__mode = "k"})
local k1 = {}
t[k1] = "kept"
t[{}] = "lost"
collectgarbage()
local n = 0
for _ in pairs(t) do n = n + 1 end
print(n, t[k1])

-- expect: 1	kept
