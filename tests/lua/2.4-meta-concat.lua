-- __concat is used when an operand is not a string or number.
local mt = {__concat = function(a, b)
  local sa = type(a) == "table" and a.s or a
  local sb = type(b) == "table" and b.s or b
  return sa .. "+" .. sb
end}
local o = setmetatable({s = "O"}, mt)
print(o .. "x", "x" .. o, o .. o, 1 .. o)
print("a" .. "b" .. o)

-- expect: O+x	x+O	O+O	1+O
-- expect: ab+O
