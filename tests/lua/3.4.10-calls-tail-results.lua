-- A tail call returns all the results of the called function.
local function many() return "a", "b", "c" end
local function tail() return many() end
local function notail() return (many()) end
print(tail())
print(notail())
local t = {tail()}
print(#t)

-- expect: a	b	c
-- expect: a
-- expect: 3
