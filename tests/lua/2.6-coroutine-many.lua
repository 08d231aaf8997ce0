-- Many coroutines alive at the same time, resumed in rounds.
local cos = {}
for i = 1, 100 do
  cos[i] = coroutine.create(function() local s = 0; for r = 1, 3 do s = s + i * r; coroutine.yield(s) end return s end)
end
local total = 0
for round = 1, 4 do
  for i = 1, 100 do local _, v = coroutine.resume(cos[i]); total = total + v end
end
print(total, coroutine.status(cos[1]))

-- expect: 80800	dead
