-- A million coroutines under a heap limit end cleanly.
-- limits: max_heap=16M
-- expect error: not enough memory
local all = {}
for i = 1, 1000000 do
  local co = coroutine.create(function() coroutine.yield(i) end)
  coroutine.resume(co)
  all[i] = co
end
