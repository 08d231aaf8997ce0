-- Producer/consumer with two coroutines.
local producer = coroutine.create(function()
  for _, item in ipairs({"a", "b", "c"}) do coroutine.yield(item) end
end)
local function consume()
  local got = {}
  while true do
    local ok, item = coroutine.resume(producer)
    if not item then break end
    got[#got + 1] = item
  end
  return table.concat(got, ",")
end
print(consume(), coroutine.status(producer))

-- expect: a,b,c	dead
