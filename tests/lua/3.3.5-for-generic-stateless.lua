-- A generic for with a stateless iterator function written in Lua.
local function iter(t, i)
  i = i + 1
  local v = t[i]
  if v ~= nil then return i, v end
end
local function each(t) return iter, t, 0 end
for i, v in each({"a", "b", "c"}) do print(i, v) end

-- expect: 1	a
-- expect: 2	b
-- expect: 3	c
