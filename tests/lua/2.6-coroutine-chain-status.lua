-- Statuses along a chain of resumes, errors in the middle of it, and collection of
-- suspended coroutines whose stacks hold the only references to live values.
local outer, inner
inner = coroutine.create(function(x)
  print("inner sees outer", coroutine.status(outer), coroutine.status(inner))
  local y = coroutine.yield(x + 1)
  if y == "boom" then error("inner failed", 0) end
  return y * 2
end)
outer = coroutine.create(function()
  print("outer first", coroutine.resume(inner, 1))
  print("outer status of inner", coroutine.status(inner))
  coroutine.yield("outer paused")
  print("outer second", coroutine.resume(inner, "boom"))
  print("inner after error", coroutine.status(inner), coroutine.resume(inner))
  return "outer done"
end)
print(coroutine.resume(outer))
print(coroutine.status(outer), coroutine.status(inner))
print(coroutine.resume(outer))
print(coroutine.status(outer), coroutine.resume(outer))

-- Suspended coroutines keep their locals alive through full collections.
local gens = {}
for i = 1, 20 do
  gens[i] = coroutine.wrap(function()
    local t = { value = i * 3 }
    while true do coroutine.yield(t.value) t = { value = t.value + 1 } end
  end)
end
for _ = 1, 3 do
  local sum = 0
  for i = 1, 20 do sum = sum + gens[i]() end
  collectgarbage()
  collectgarbage()
  print("sum", sum)
end

-- A wrap inside a wrap, with yields passing several values and none.
local producer = coroutine.wrap(function()
  local sub = coroutine.wrap(function()
    coroutine.yield()
    coroutine.yield(1, 2, 3)
    return "sub end"
  end)
  coroutine.yield(select("#", sub()))
  coroutine.yield(sub())
  coroutine.yield(sub())
end)
print(producer())
print(producer())
print(producer())
print(coroutine.isyieldable(), select(2, coroutine.running()))

-- expect: inner sees outer	normal	running
-- expect: outer first	true	2
-- expect: outer status of inner	suspended
-- expect: true	outer paused
-- expect: suspended	suspended
-- expect: outer second	false	inner failed
-- expect: inner after error	dead	false	cannot resume dead coroutine
-- expect: true	outer done
-- expect: dead	false	cannot resume dead coroutine
-- expect: sum	630
-- expect: sum	650
-- expect: sum	670
-- expect: 0
-- expect: 1	2	3
-- expect: sub end
-- expect: false	true
