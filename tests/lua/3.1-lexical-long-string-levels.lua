-- A closing bracket of another level does not close the string.
local s = [===[a]]b]=]c]==]d]====]e]===]
print(s)
local nested = [[ [[ not nested ]]
print(nested)
local t = [=[
]]
]=]
print(t, #t)

-- expect: a]]b]=]c]==]d]====]e
-- expect:  [[ not nested 
-- expect: ]]
-- expect: 	3
