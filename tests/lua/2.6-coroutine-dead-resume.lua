-- A dead coroutine cannot be resumed.
local co = coroutine.create(function() return 1 end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co))

-- expect: true	1
-- expect: false	cannot resume dead coroutine
-- expect: dead
