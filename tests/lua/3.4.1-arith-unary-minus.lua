-- Unary minus on integers and floats.
local a, b = 5, 2.5
print(-a, -b, - -a, -(-b))
print(-0, -0.0, 0 == -0.0)
local z = 0
print(-z, -(z + 0.0))

-- expect: -5	-2.5	5	2.5
-- expect: 0	-0.0	true
-- expect: 0	-0.0
