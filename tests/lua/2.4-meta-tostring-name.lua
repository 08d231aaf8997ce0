-- __tostring is used by tostring and print; __name appears in default names.
local p = setmetatable({x = 1, y = 2}, {__tostring = function(s) return "(" .. s.x .. "," .. s.y .. ")" end})
print(p, tostring(p))
local named = setmetatable({}, {__name = "MyType"})
print((tostring(named):gsub("0x%x+", "ADDR"):gsub(": [%x]+$", ": ADDR")))

-- expect: (1,2)	(1,2)
-- expect: MyType: ADDR
