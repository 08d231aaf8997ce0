-- coroutine.wrap gives a function that resumes; errors propagate.
local gen = coroutine.wrap(function(n)
  for i = 1, n do coroutine.yield(i) end
  return "done"
end)
print(gen(3), gen(), gen(), gen())
local ok, e = pcall(gen)
print(ok, e)

-- expect: 1	2	3	done
-- expect: false	cannot resume dead coroutine
