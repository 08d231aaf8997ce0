-- Fused compare-and-branch instructions in conditions.
local a, b = ...
if a < 10 then a = 1 end
if 10 < a then a = 2 end
if a >= b then a = 3 end
if a == "x" or a ~= nil then a = 4 end
if not (a <= 0) and b then a = 5 end
while a > 0 do a = a - 1 end
repeat b = b + 1 until b == 10
local c = a < b
local d = a and b or c
return c, d
