-- An __index chain that loops back on itself.
-- expect error: '__index' chain too long; possible loop
local a, b = {}, {}
setmetatable(a, {__index = b})
setmetatable(b, {__index = a})
print(a.x)
