-- error's level says which function's position is prepended to a string message.
local function strip(m) return (m:gsub("^[^:]+:", "chunk:")) end
local function lvl1() error("at level 1") end          -- line 3
local function lvl2() error("at level 2", 2) end
local function caller() lvl2() end                     -- line 5
local _, e1 = pcall(lvl1)
local _, e2 = pcall(caller)
local _, e0 = pcall(error, "no position", 0)
print(strip(e1))
print(strip(e2))
print(e0)
local _, e3 = pcall(error, {})
print(type(e3))

-- expect: chunk:3: at level 1
-- expect: chunk:5: at level 2
-- expect: no position
-- expect: table
