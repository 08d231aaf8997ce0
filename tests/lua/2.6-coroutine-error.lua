-- An error inside a coroutine kills it and is returned by resume.
local co = coroutine.create(function() coroutine.yield(1); error("inside", 0) end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(coroutine.status(co))
local co2 = coroutine.create(function() error({code = 7}) end)
local ok, e = coroutine.resume(co2)
print(ok, e.code)

-- expect: true	1
-- expect: false	inside
-- expect: dead
-- expect: false	7
