local function f()
  return ...
end

-- expect error: cannot use '...' outside a vararg function near '...'
