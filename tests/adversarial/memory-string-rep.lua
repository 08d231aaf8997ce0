-- string.rep with a huge count is refused before anything is allocated.
-- limits: max_heap=16M
-- expect: false
-- expect error: not enough memory
print((pcall(string.rep, "x", 1 << 40)))
local s = string.rep("abc", 100000000)
