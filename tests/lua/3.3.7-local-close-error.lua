-- On error, <close> variables see the error object; the error continues.
local function closer(name)
  return setmetatable({}, {__close = function(_, err) print("close", name, err) end})
end
local ok, err = pcall(function()
  local a <close> = closer("a")
  local b <close> = closer("b")
  error("failure", 0)
end)
print(ok, err)

-- expect: close	b	failure
-- expect: close	a	failure
-- expect: false	failure
