do
  goto inside
  local x = 1
  ::inside::
  print(x)
end

-- expect error: <goto inside> at line 2 jumps into the scope of local 'x'
