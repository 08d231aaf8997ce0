-- ... in a constructor, last and not last.
local function f(...)
  local a = {...}
  local b = {..., "end"}
  local c = {"start", ...}
  return #a, #b, b[2], #c, c[4]
end
print(f(10, 20, 30))
print(f())

-- expect: 3	2	end	4	30
-- expect: 0	2	end	1	nil
