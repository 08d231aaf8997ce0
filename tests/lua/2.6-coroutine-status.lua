-- A coroutine is suspended, running, normal or dead.
local co
local outer = coroutine.create(function()
  print("inside", coroutine.status(co))
end)
co = coroutine.create(function()
  print("running", coroutine.status(co))
  coroutine.resume(outer)
  coroutine.yield()
end)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))

-- expect: suspended
-- expect: running	running
-- expect: inside	normal
-- expect: suspended
-- expect: dead
