-- local function is visible inside its own body; mutual recursion via forward declaration.
local isodd
local function iseven(n) if n == 0 then return true end return isodd(n - 1) end
function isodd(n) if n == 0 then return false end return iseven(n - 1) end
print(iseven(10), isodd(7), iseven(3))

-- expect: true	true	false
