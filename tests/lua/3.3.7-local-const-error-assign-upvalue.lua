local k <const> = {}
local function f() k = 1 end

-- expect error: attempt to assign to const variable 'k'
