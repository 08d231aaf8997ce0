-- _ENV can be a parameter, so each call sees its own globals.
local function get(_ENV) return value end
print(get({value = "first"}), get({value = "second"}), get({}))
local function set(_ENV, v) value = v end
local e = {}
set(e, 42)
print(e.value, value)

-- expect: first	second	nil
-- expect: 42	nil
