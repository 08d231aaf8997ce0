-- Long brackets of level 0 and higher; escapes are not interpreted inside.
local a = [[plain long string]]
print(a)
local b = [==[contains ]] and ]=] but ends here]==]
print(b)
local c = [[no \n escape \x41 here]]
print(c, #c)
local d = [=[
first newline is skipped]=]
print(d)
local e = [[
line one
line two]]
print(e)
print([[]] == "", [==[]==] == "")

-- expect: plain long string
-- expect: contains ]] and ]=] but ends here
-- expect: no \n escape \x41 here	22
-- expect: first newline is skipped
-- expect: line one
-- expect: line two
-- expect: true	true
