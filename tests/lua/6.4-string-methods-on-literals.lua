-- Strings have a metatable whose __index is the string table.
local s = "text"
print(s:upper(), ("lit"):len(), type(s.len), #string.format("%s", s))
print(getmetatable(s).__index == string)
local n = 42
print(("%d items"):format(n))

-- expect: TEXT	3	function	4
-- expect: true
-- expect: 42 items
