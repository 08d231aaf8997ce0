-- yield works from functions called by the coroutine body, and across pcall.
local function helper(x) coroutine.yield("helper " .. x); return x * 2 end
local co = coroutine.wrap(function()
  local r = helper(1)
  local ok, v = pcall(function() coroutine.yield("in pcall"); return helper(r) end)
  coroutine.yield(tostring(ok) .. " " .. v)
  return "end"
end)
print(co()); print(co()); print(co()); print(co()); print(co())

-- expect: helper 1
-- expect: in pcall
-- expect: helper 2
-- expect: true 4
-- expect: end
