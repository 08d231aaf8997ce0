-- Constant and immediate operands, folding.
local x, y = ...
local a = x + 1
local b = x - 1
local c = x * 2.5
local d = 2 * x
local e = x // 3 + x % 4 - x / 5
local f = (x << 2) | (y >> 1) & 0xFF
local g = 1 + 2 * 3 - 4 // 3
local h = -0.0
local i = x - 0
local j = 100000 + x
local k = 2 ^ 10 .. x .. y
return a, b, c, d, e, f, g, h, i, j, k
