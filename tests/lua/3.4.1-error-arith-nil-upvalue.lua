local total
local function add(n) return total + n end
print(add(1))

-- expect error: attempt to perform arithmetic on a nil value (upvalue 'total')
