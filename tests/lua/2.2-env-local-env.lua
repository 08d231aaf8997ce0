-- A local _ENV changes what free names refer to.
local print = print
do
  local _ENV = {z = 5}
  w = 7
  print(z, w, _ENV.w)
end
print(w, z)

-- expect: 5	7	7
-- expect: nil	nil
