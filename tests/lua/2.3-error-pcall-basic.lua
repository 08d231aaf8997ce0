-- pcall returns true plus results, or false plus the error object.
print(pcall(function(a, b) return a + b, "second" end, 1, 2))
print(pcall(error, "msg", 0))
print(pcall(function() error("plain", 0) end))
local ok, err = pcall(function() local x = nil; return x.y end)
print(ok, (err:gsub("^.-:%d+: ", "")))
print(select("#", pcall(function() end)))

-- expect: true	3	second
-- expect: false	msg
-- expect: false	plain
-- expect: false	attempt to index a nil value (local 'x')
-- expect: 1
