-- xpcall calls the message handler with the error; its result becomes the error value.
local function handler(e) return "handled: " .. tostring(e) end
print(xpcall(function() error("bad", 0) end, handler))
print(xpcall(function(a, b) return a * b end, handler, 6, 7))
print(xpcall(error, function(e) return type(e) end, {}))
local ok, tb = xpcall(function() error("x") end, debug.traceback)
print(ok, tb:match("stack traceback") ~= nil)

-- expect: false	handled: bad
-- expect: true	42
-- expect: false	table
-- expect: false	true
