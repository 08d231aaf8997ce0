-- A coroutine yields from inside pcall, xpcall handlers, every kind of metamethod, __close
-- handlers and generic-for iterators, and resumes where it left off.
local Y = coroutine.yield
local co = coroutine.create(function(a)
  local ok, v = pcall(function() local x = Y(a + 1); error("e" .. x, 0) end)
  local mt = {__index = function(t, k) return Y(k) end, __add = function(a, b) return Y("add") end,
    __lt = function(a, b) return Y("lt") end, __concat = function(a, b) return Y("cat") end,
    __eq = function(a, b) return Y("eq") end, __len = function() return Y("len") end,
    __newindex = function(t, k, v) Y("set " .. k) end, __call = function(self, x) return Y("call " .. x) end}
  local t = setmetatable({}, mt)
  local r = t.foo
  local s = t + 1
  local lt = t < t
  local c = "x" .. t .. "y"
  local e = t == setmetatable({}, mt)
  local n = #t
  t.bar = 1
  local cr = t(5)
  do local z <close> = setmetatable({}, {__close = function() Y("closing") end}) end
  for i in function(_, i) i = (i or 0) + 1; if i > 2 then return nil end; Y("iter" .. i); return i end do end
  local ok2, e2 = xpcall(function() error("boom") end, function(m) return "h:" .. Y("handler") end)
  return ok, v, r, s, lt, c, e, n, cr, ok2, e2
end)
local v = 1
while true do
  local ok, a, b, c, d, e, f, g, h, i, j, k = coroutine.resume(co, v)
  print(ok, a, b, c, d, e, f, g, h, i, j, k)
  if coroutine.status(co) == "dead" then break end
  v = v + 1
end
print(coroutine.resume(co))
local w = coroutine.wrap(function() error("inside", 0) end)
print(pcall(w))
print(select(2, pcall(coroutine.wrap(function() error({}) end))) ~= nil)
local function gen(n) return coroutine.wrap(function() for i = 1, n do Y(i) end end) end
local sum = 0; for i in gen(100) do sum = sum + i end; print(sum)
local deep = coroutine.wrap(function() local function f(n) if n == 0 then return Y("deep") end return f(n - 1) end return f(10000) end)
print(deep())

-- expect: true	2	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	foo	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	add	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	lt	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	cat	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	eq	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	len	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	set bar	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	call 5	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	closing	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	iter1	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	iter2	nil	nil	nil	nil	nil	nil	nil	nil	nil	nil
-- expect: true	false	e2	3	4	true	x6	true	8	10	false	error in error handling
-- expect: false	cannot resume dead coroutine
-- expect: false	inside
-- expect: true
-- expect: 5050
-- expect: deep
