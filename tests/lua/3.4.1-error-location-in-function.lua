-- The error names the variable even inside a nested function.
local function compute(p)
  local q = p.missing
  return q * 2
end
print("computing")
compute({})

-- expect: computing
-- expect error: attempt to perform arithmetic on a nil value (local 'q')
