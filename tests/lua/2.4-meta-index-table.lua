-- __index as a table: lookups of absent keys fall through, in a chain.
local base = {greet = "hello", shared = "base"}
local mid = setmetatable({shared = "mid"}, {__index = base})
local obj = setmetatable({}, {__index = mid})
print(obj.greet, obj.shared, obj.none)
obj.greet = "own"
print(obj.greet, rawget(obj, "shared"))

-- expect: hello	mid	nil
-- expect: own	nil
