-- ipairs stops at the first nil; pairs visits every key (sorted here).
local t = {10, 20, nil, 40}
for i, v in ipairs(t) do print(i, v) end
local h = {x = 1, y = 2, z = 3, 7}
local keys = {}
for k in pairs(h) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, ","))

-- expect: 1	10
-- expect: 2	20
-- expect: 1,x,y,z
