-- Doubling a string until it cannot grow.
-- limits: max_heap=16M
-- expect error: not enough memory
local s = "x"
while true do s = s .. s end
