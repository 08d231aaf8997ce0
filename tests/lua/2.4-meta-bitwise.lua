-- The bitwise metamethods.
local mt = {}
local function B(x) return setmetatable({x = x}, mt) end
local function val(a) return type(a) == "table" and a.x or a end
for _, ev in ipairs({"band", "bor", "bxor", "shl", "shr"}) do
  mt["__" .. ev] = function(a, b) return ev .. ":" .. val(a) .. "," .. val(b) end
end
mt.__bnot = function(a) return "bnot:" .. val(a) end
print(B(1) & 2, 1 | B(2), B(1) ~ B(2))
print(B(1) << 2, 1 >> B(2), ~B(9))
print(pcall(function() return 1.5 & B(1) end))

-- expect: band:1,2	bor:1,2	bxor:1,2
-- expect: shl:1,2	shr:1,2	bnot:9
-- expect: true	band:1.5,1
