-- Long comments of any level, and the ---[[ trick to disable one.
print(1) --[[ a long
comment ]] print(2)
--[==[
print("not printed")
]]
still inside
]==]
print(3)
---[[
print(4)
--]]
--[[
print("not printed either")
--]]
print(5) -- a short comment [[ does not open anything
print(6)

-- expect: 1
-- expect: 2
-- expect: 3
-- expect: 4
-- expect: 5
-- expect: 6
