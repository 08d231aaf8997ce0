-- <close> variables are closed in reverse order when their scope ends.
local function closer(name)
  return setmetatable({}, {__close = function(o, err) print("close", name, err) end})
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  local c <close> = nil
  local d <close> = false
  print("body")
end
print("after")

-- expect: body
-- expect: close	b	nil
-- expect: close	a	nil
-- expect: after
