-- A long concatenation chain in one expression.
local a, b, c = "A", "B", "C"
local s = a .. b .. c .. 1 .. 2 .. 3 .. a .. b .. c .. 4.5 .. "" .. -1
print(s)
print("" .. "", #("" .. ""))

-- expect: ABC123ABC4.5-1
-- expect: 	0
