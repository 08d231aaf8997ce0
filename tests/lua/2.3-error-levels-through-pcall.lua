-- Levels count every function on the stack, host functions included: a level that
-- lands on pcall has no position, and one beyond it reaches pcall's caller.
-- (Found by the differential generator: levels past a pcall used to give no position.)
local function strip(m) return (m:gsub("^[^:]+:", "chunk:")) end
local function thrower(m, level) error(m, level) end
print(select(2, pcall(thrower, "level 1", 1)) == nil)
print(strip(select(2, pcall(thrower, "level 1", 1))))
print(select(2, pcall(thrower, "level 2", 2)))
print(strip(select(2, pcall(thrower, "level 3", 3))))           -- line 9
print(select(2, pcall(thrower, "level 4", 4)))
print(strip(select(2, pcall(error, "error's caller's caller", 2))))  -- line 11
print(strip(select(2, pcall(function() thrower("via a Lua function", 3) end))))  -- level 3 is pcall
local ok, e = pcall(function()
  table.sort({3, 2, 1}, function(a, b) error("comparator, level 3", 3) end)  -- line 14
end)
print(strip(e))

-- expect: false
-- expect: chunk:5: level 1
-- expect: level 2
-- expect: chunk:9: level 3
-- expect: level 4
-- expect: chunk:11: error's caller's caller
-- expect: via a Lua function
-- expect: chunk:14: comparator, level 3
