-- Functions nested three levels deep see and update outer locals.
local function outer()
  local x = 1
  local function middle()
    local y = 10
    local function inner()
      x = x + 1
      y = y + 1
      return x + y
    end
    return inner
  end
  return middle(), function() return x end
end
local inner, getx = outer()
print(inner(), inner(), getx())

-- expect: 13	15	3
