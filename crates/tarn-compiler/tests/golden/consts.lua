-- <const> locals fold; constants are shared per function.
local N <const> = 10
local S <const> = "str"
local F <const> = N * 1.5
local function k() return N + 1, S, F end
print(N, S, F, k(), "str", 10, 10.0, 15.0)
