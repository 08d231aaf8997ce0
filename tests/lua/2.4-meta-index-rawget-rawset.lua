-- rawget, rawset and rawequal bypass metamethods.
local t = setmetatable({}, {
  __index = function() return "meta" end,
  __newindex = function() error("blocked") end,
  __eq = function() return true end,
})
print(t.x, rawget(t, "x"))
rawset(t, "x", "raw")
print(t.x)
local u = setmetatable({}, getmetatable(t))
print(t == u, rawequal(t, u), rawequal(t, t))

-- expect: meta	nil
-- expect: raw
-- expect: true	false	true
