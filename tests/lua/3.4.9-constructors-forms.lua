-- Table constructors with positional, named and bracketed fields and both separators.
local t = {1, 2; 3, x = "x", ["y z"] = "yz", [10] = 10, [1 + 1.0 + 2] = "four";}
print(t[1], t[2], t[3], t.x, t["y z"], t[10], t[4])
local empty = {}
print(#empty, next(empty))
local nested = {{1, 2}, {3, {4}}}
print(nested[2][2][1], #nested)
local trailing = {"a", "b",}
print(#trailing)

-- expect: 1	2	3	x	yz	10	four
-- expect: 0	nil
-- expect: 4	2
-- expect: 2
