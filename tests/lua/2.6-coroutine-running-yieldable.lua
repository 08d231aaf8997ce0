-- coroutine.running and coroutine.isyieldable.
local main, ismain = coroutine.running()
print(type(main), ismain, coroutine.isyieldable())
local co = coroutine.create(function()
  local me, im = coroutine.running()
  print(type(me), im, coroutine.isyieldable())
end)
coroutine.resume(co)

-- expect: thread	true	false
-- expect: thread	false	true
