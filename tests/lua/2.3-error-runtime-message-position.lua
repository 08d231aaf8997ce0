-- Runtime errors are strings with the position prepended.
local ok, e = pcall(function()
  local t = {}
  return t.x.y   -- line 4
end)
print(ok, (e:gsub("^.-:(%d+):", "line %1:")))
ok, e = pcall(function() return 1 + {} end)
print((e:gsub("^.-:(%d+):", "line %1:")))

-- expect: false	line 4: attempt to index a nil value (field 'x')
-- expect: line 7: attempt to perform arithmetic on a table value
