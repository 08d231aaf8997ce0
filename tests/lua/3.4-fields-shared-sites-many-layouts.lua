-- One field access, read and written, on objects whose fields sit at different
-- positions: two layouts alternating, three in rotation, small tables and large ones,
-- and a table whose field lies past the 65 536th entry. Each access must see its own
-- object's field, whatever the access before it saw.
local function make(prefix, n, extra)
  local t = {}
  for i = 1, n do t[prefix .. i] = i end
  t.x = extra
  return t
end
local objects = {
  make("a", 2, 10), make("b", 5, 20), make("c", 12, 30), make("d", 0, 40),
}
local function get(o) return o.x end
local function bump(o) o.x = o.x + 1 end
local sum = 0
for round = 1, 300 do
  local o = objects[round % 2 + 1]
  sum = sum + get(o)
end
print(sum)
sum = 0
for round = 1, 300 do
  local o = objects[round % 3 + 2]
  bump(o)
  sum = sum + get(o)
end
print(sum, objects[2].x, objects[3].x, objects[4].x)

local big = make("k", 70000, "far")
local near = make("n", 3, "near")
local seen = {}
for round = 1, 6 do
  seen[#seen + 1] = get(round % 2 == 0 and big or near)
end
print(table.concat(seen, " "))
big.x = "changed"
print(get(big), get(near), get(big))
-- expect: 4500
-- expect: 24150	120	130	140
-- expect: near far near far near far
-- expect: changed	near	changed
