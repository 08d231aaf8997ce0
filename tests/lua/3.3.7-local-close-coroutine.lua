-- coroutine.close closes the pending <close> variables of a suspended coroutine.
local co = coroutine.create(function()
  local r <close> = setmetatable({}, {__close = function() print("closed in coroutine") end})
  coroutine.yield(1)
  print("never resumed")
end)
print(coroutine.resume(co))
print(coroutine.close(co), coroutine.status(co))

-- expect: true	1
-- expect: closed in coroutine
-- expect: true	dead
