-- An error raised by __close replaces the original error.
local ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("from close", 0) end})
  error("original", 0)
end)
print(ok, err)
ok, err = pcall(function()
  local a <close> = setmetatable({}, {__close = function() error("only close", 0) end})
  return 1
end)
print(ok, err)

-- expect: false	from close
-- expect: false	only close
