-- A table that grows forever stops at the heap limit with Lua's error, and pcall
-- catches it; the VM keeps working afterwards.
-- limits: max_heap=16M
-- expect: false	not enough memory
-- expect: still running
local t = {}
local ok, e = pcall(function() local i = 0 while true do i = i + 1; t[i] = i end end)
t = nil
collectgarbage()
print(ok, e)
print("still " .. "running")
