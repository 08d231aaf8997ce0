-- Comment markers inside strings are not comments.
print("--not a comment", '--[[ nor this ]]')
local x = 10 --[[inline]] + 5
print(x)
print(#[[--]])
--[=[ ]] is not the end ]=] print("after")

-- expect: --not a comment	--[[ nor this ]]
-- expect: 15
-- expect: 2
-- expect: after
