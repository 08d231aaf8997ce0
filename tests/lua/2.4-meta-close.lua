-- __close receives the value and the error object (nil on normal exit).
local mt = {__close = function(v, e) print("closing", v.name, e) end}
do
  local a <close> = setmetatable({name = "a"}, mt)
  print("in block")
end
print(pcall(function()
  local b <close> = setmetatable({name = "b"}, mt)
  error("E", 0)
end) == false)

-- expect: in block
-- expect: closing	a	nil
-- expect: closing	b	E
-- expect: true
