-- The fourth value of a generic for is a to-be-closed variable, closed when the loop ends.
local function closer(name)
  return setmetatable({}, {__close = function(_, err) print("closed", name, err) end})
end
local function iter(n)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end, nil, nil, closer("normal")
end
for i in iter(2) do print(i) end
for i in iter(5) do if i == 2 then break end print(i) end
local function f()
  for i in iter(5) do if i == 3 then return "returned" end end
end
print(f())
print(pcall(function() for i in iter(5) do error("boom", 0) end end))

-- expect: 1
-- expect: 2
-- expect: closed	normal	nil
-- expect: 1
-- expect: closed	normal	nil
-- expect: closed	normal	nil
-- expect: returned
-- expect: closed	normal	boom
-- expect: false	boom
