-- Variables and fields that were never assigned are nil.
print(never_assigned)
local t = {}
print(t.missing, t[1])
local l
print(l)

-- expect: nil
-- expect: nil	nil
-- expect: nil
