-- resume and yield pass values both ways.
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "finished", a
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, "x", "y"))
print(coroutine.resume(co))

-- expect: start	1	2
-- expect: true	3
-- expect: got	10
-- expect: true	20
-- expect: got	x	y
-- expect: true	finished	1
-- expect: false	cannot resume dead coroutine
