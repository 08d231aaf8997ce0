-- Keys and values can be arbitrary expressions, including calls and nested tables.
local k = "key"
local function val(x) return x * 2 end
local t = {[k] = val(1), [k .. "2"] = val(2), [true] = "bool", [val(3)] = "six"}
print(t.key, t.key2, t[true], t[6])
local f = {fn = function(x) return x + 1 end}
print(f.fn(1))

-- expect: 2	4	bool	six
-- expect: 2
