-- coroutine.close on suspended, dead and errored coroutines.
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(coroutine.close(co), coroutine.status(co))
local bad = coroutine.create(function() error("oops", 0) end)
coroutine.resume(bad)
print(coroutine.close(bad))
print(coroutine.close(coroutine.create(print)))

-- expect: true	dead
-- expect: false	oops
-- expect: true
