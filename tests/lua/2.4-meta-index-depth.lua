-- __index chains many levels deep.
local t = {deep = "found"}
for i = 1, 50 do t = setmetatable({}, {__index = t}) end
print(t.deep, t.none)

-- expect: found	nil
