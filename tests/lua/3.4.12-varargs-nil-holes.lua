-- ... keeps trailing nils; {...} may lose them for #, table.pack keeps n.
local function f(...)
  local t = table.pack(...)
  return select("#", ...), t.n
end
print(f(nil, nil, nil))
print(f(1, nil))
local function pass(...) return ... end
print(select("#", pass(nil, nil)))

-- expect: 3	3
-- expect: 2	2
-- expect: 2
