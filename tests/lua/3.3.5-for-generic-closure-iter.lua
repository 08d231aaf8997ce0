-- A generic for with a closure as iterator; extra results are dropped, missing ones are nil.
local function range(n)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i, i * i, "extra" end
  end
end
for i, sq in range(3) do print(i, sq) end
for a, b, c, d in range(1) do print(a, b, c, d) end

-- expect: 1	1
-- expect: 2	4
-- expect: 3	9
-- expect: 1	1	extra	nil
