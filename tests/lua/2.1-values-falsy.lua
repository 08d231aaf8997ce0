-- Only nil and false are false; 0 and the empty string are true.
local function truth(v) if v then return "true" else return "false" end end
print(truth(nil), truth(false), truth(0), truth(0.0), truth(""), truth({}))
print(not nil, not false, not 0, not "")

-- expect: false	false	true	true	true	true
-- expect: true	true	false	false
