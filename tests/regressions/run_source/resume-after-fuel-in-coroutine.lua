-- Fuel runs out inside a coroutine that `return coroutine.resume(co)` started; the
-- oracle then resumes the call. Resuming used to continue after the interrupted call,
-- and the `return` read a stack top the call never set: an index out of bounds panic.
local co = coroutine.create(function() local n = 0 while true do n = n + 1 end end)
return coroutine.resume(co)
