-- A call or ... in the last position expands to all its values; elsewhere to one.
local function three() return 1, 2, 3 end
local function none() end
local t = {three()}
print(#t)
t = {three(), three()}
print(#t, t[1], t[2], t[4])
t = {(three())}
print(#t)
t = {three(), 10}
print(#t, t[2])
t = {none()}
print(#t)
t = {none(), 5}
print(t[1], t[2])
local function pack(...) return {...} end
t = pack(1, nil, 3)
print(t[1], t[2], t[3])
t = {x = three()}
print(t.x)

-- expect: 3
-- expect: 4	1	1	3
-- expect: 1
-- expect: 2	10
-- expect: 0
-- expect: nil	5
-- expect: 1	nil	3
-- expect: 1
