-- A weak-valued table loses values that are only reachable through it.
local cache = setmetatable({}, {__mode = "v"})
local keep = {}
cache[1] = keep
cache[2] = {}
cache[3] = "strings are values, not objects"
collectgarbage()
print(cache[1] == keep, cache[2], cache[3])

-- expect: true	nil	strings are values, not objects
