-- Functions close over _ENV like over any other local.
local print = print
local function make(env)
  local _ENV = env
  return function() counter = (counter or 0) + 1; return counter end
end
local a, b = make({}), make({counter = 100})
a(); a()
print(a(), b())

-- expect: 3	101
