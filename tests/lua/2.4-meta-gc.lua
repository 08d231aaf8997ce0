-- __gc runs when an unreachable object is collected, here forced by collectgarbage().
local log = {}
do
  setmetatable({}, {__gc = function() log[#log + 1] = "finalized" end})
end
collectgarbage()
collectgarbage()
print(log[1])

-- expect: finalized
