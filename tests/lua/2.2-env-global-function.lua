-- "function f" assigns to a global; "local function f" does not.
function gf() return "global" end
local function lf() return "local" end
print(gf(), lf(), _ENV.gf == gf, _ENV.lf)

-- expect: global	local	true	nil
