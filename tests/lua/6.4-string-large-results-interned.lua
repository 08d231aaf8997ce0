-- Large strings made by the library (gsub, table.concat, rep, format, long ..) are the
-- same strings as equal ones made another way: equal, and the same table key.
local a = string.rep("ab", 5000)
local b = ("ab"):rep(2500) .. ("ab"):rep(2500)
local parts = {}
for i = 1, 5000 do parts[i] = "ab" end
local c = table.concat(parts)
local d = a:gsub("a", "a")
local e = string.format("%s%s", ("ab"):rep(2500), ("ab"):rep(2500))
local t = { [a] = "found" }
print(#a, a == b, a == c, a == d, a == e)
print(t[b], t[c], t[d], t[e])
-- A large new string keeps its bytes.
local f = a:gsub("b", "c")
print(#f, f:sub(1, 6), f:sub(-4), select(2, f:gsub("c", "")))

-- expect: 10000	true	true	true	true
-- expect: found	found	found	found
-- expect: 10000	acacac	acac	5000
