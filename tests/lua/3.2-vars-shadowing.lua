-- Locals shadow globals and outer locals; the outer one is visible again after the block.
x = "global"
local x = "outer"
print(x)
do
  local x = "inner"
  print(x)
end
print(x, _ENV.x)

-- expect: outer
-- expect: inner
-- expect: outer	global
