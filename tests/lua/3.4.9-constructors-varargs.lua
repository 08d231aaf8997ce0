-- ... in a constructor, last and not last (not last: adjusted to exactly one value).
local function f(...)
  local a = {...}
  local b = {..., "end"}
  local c = {"start", ...}
  return #a, b[1], b[2], #c, c[4]
end
print(f(10, 20, 30))
print(f())

-- expect: 3	10	end	4	30
-- expect: 0	nil	end	1	nil
