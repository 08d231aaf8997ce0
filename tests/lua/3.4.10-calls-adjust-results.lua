-- Results are adjusted to the context; parentheses truncate to one value.
local function three() return 1, 2, 3 end
local function none() end
print(three())
print((three()))
print(three(), "end")
print(none())
print((none()))
print("x", none())
local function count(...) return select("#", ...) end
print(count(three()), count(three(), three()), count((three())), count(none()), count(none(), nil))

-- expect: 1	2	3
-- expect: 1
-- expect: 1	end
-- expect:
-- expect: nil
-- expect: x
-- expect: 3	4	1	0	2
