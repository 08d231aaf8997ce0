-- A chunk is an anonymous vararg function; the script gets no arguments here.
local n = select("#", ...)
print(n)
local t = {...}
print(#t)
return 1, 2

-- expect: 0
-- expect: 0
