-- do ... end delimits a block and the scope of its locals.
local a = 1
do
  local a = 2
  do
    local a = 3
    print(a)
  end
  print(a)
end
print(a)
do end
do ; end
print("done")

-- expect: 3
-- expect: 2
-- expect: 1
-- expect: done
