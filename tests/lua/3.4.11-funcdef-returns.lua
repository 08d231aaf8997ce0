-- return may give any number of values; return must be last in a block.
local function r0() return end
local function r1() return 1 end
local function r3() return 1, nil, 3 end
print(r0())
print(r1())
print(r3())
local function early(x)
  if x then return "early" end
  do return "do-block" end
end
print(early(true), early(false))

-- expect:
-- expect: 1
-- expect: 1	nil	3
-- expect: early	do-block
