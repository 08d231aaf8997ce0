-- __index as a function gets the table and the key.
local calls = 0
local t = setmetatable({present = 1}, {__index = function(tbl, k) calls = calls + 1; return k .. "!" end})
print(t.present, t.absent, t[1], calls)

-- expect: 1	absent!	1!	2
