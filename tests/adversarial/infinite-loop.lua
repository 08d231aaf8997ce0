-- An infinite loop stops when its fuel runs out; pcall cannot swallow that.
-- limits: fuel=2000000
-- expect error: out of fuel
print(pcall(function() while true do end end))
