-- Varargs through core features only: forwarding, counting with a constructor, nesting.
local function pass(...) return ... end
local function count(...) return #{...} end
print(pass(1, 2, 3))
print(count(pass(1, 2, 3)), count(), count(pass()))
local function wrap(...)
  local a, b = ...
  local function inner(...) return ..., a, b end
  return inner("i1", "i2")
end
print(wrap("w1", "w2"))
local function mid(...) return (...), "|", ... end
print(mid(7, 8, 9))
local t = {pass(4, 5), pass(6, 7)}
print(t[1], t[2], t[3], t[4])

-- expect: 1	2	3
-- expect: 3	0	0
-- expect: i1	w1	w2
-- expect: 7	|	7	8	9
-- expect: 4	6	7	nil
