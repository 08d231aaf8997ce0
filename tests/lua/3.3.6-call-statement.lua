-- A function call can be a statement; its results are discarded.
local count = 0
local function bump(n) count = count + (n or 1); return count end
bump()
bump(5)
local t = {f = bump}
t.f(10)
;(bump)(100)
print(count)

-- expect: 116
