-- Assigning nil removes a key: a table never holds a nil value.
local t = {a = 1, b = 2}
t.a = nil
local keys = {}
for k in pairs(t) do keys[#keys + 1] = k end
print(#keys, keys[1], t.a)

-- expect: 1	b	nil
