-- Level 1 is the function calling error; level 2 its caller; numbers keep no position.
local function check(x) if type(x) ~= "number" then error("expected number", 2) end return x end
local function use() local v = check("s"); return v end -- line 3
local ok, msg = pcall(use)
print(ok, (msg:gsub("^.-:(%d+):", "line %1:")))
ok, msg = pcall(error, 42, 2)
print(ok, msg, math.type(msg))
ok, msg = pcall(function() error("deep", 1) end)           -- line 8
print(ok, (msg:gsub("^.-:(%d+):", "line %1:")))
local function tail() return check("t") end  -- a tail call leaves no caller position
ok, msg = pcall(tail)
print(ok, msg)

-- expect: false	line 3: expected number
-- expect: false	42	integer
-- expect: false	line 8: deep
-- expect: false	expected number
