-- Errors propagate through nested pcalls and can be rethrown.
local function inner() error("inner failure", 0) end
local function middle()
  local ok, e = pcall(inner)
  error("middle saw: " .. e, 0)
end
print(pcall(middle))
print(pcall(pcall, error, "x"))
local depth = 0
local function nest(n) if n == 0 then error("bottom", 0) end depth = depth + 1; return pcall(nest, n - 1) end
print(nest(5))
print(depth)

-- expect: false	middle saw: inner failure
-- expect: true	false	x
-- expect: true	true	true	true	false	bottom
-- expect: 5
