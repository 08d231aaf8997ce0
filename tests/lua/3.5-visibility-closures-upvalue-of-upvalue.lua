-- An upvalue reached through several levels of nesting is the same variable.
local function level1()
  local v = "start"
  return function()
    return function()
      return function(new)
        if new then v = new end
        return v
      end
    end
  end, function() return v end
end
local l2, peek = level1()
local l4 = l2()()
print(l4(), l4("changed"), peek())

-- expect: start	changed	changed
