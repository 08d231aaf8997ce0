-- Calling what cannot be called: a metamethod that is not a function is named
-- "(metamethod 'add')"; a call that a host function makes (pcall's argument, tostring's
-- __tostring) has no position, as the error is raised inside that function.
-- (Found by the differential generator's snippets.)
local function strip(m) return (m:gsub("^[^:]+:", "chunk:")) end
local function bad(event) return setmetatable({}, {[event] = 5}) end
local function try(f) print(strip(select(2, pcall(f)))) end
try(function() return bad("__add") + 1 end)                      -- line 8
try(function() return bad("__lt") < bad("__lt") end)
try(function() return #bad("__len") end)
try(function() return bad("__concat") .. "x" end)
try(function() local x <close> = bad("__close") end)             -- line 12
try(function() return bad("__call")() end)
print(select(2, pcall(nil)))
print(select(2, pcall({})))
print(select(2, xpcall(nil, function(m) return "handled: " .. m end)))
print(select(3, pcall(pcall, nil)))
print(select(2, pcall(tostring, bad("__tostring"))))

-- expect: chunk:8: attempt to call a number value (metamethod 'add')
-- expect: chunk:9: attempt to call a number value (metamethod 'lt')
-- expect: chunk:10: attempt to call a number value (metamethod 'len')
-- expect: chunk:11: attempt to call a number value (metamethod 'concat')
-- expect: chunk:12: attempt to call a number value (metamethod 'close')
-- expect: chunk:13: attempt to call a number value
-- expect: attempt to call a nil value
-- expect: attempt to call a table value
-- expect: handled: attempt to call a nil value
-- expect: attempt to call a nil value
-- expect: attempt to call a number value
