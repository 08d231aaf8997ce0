-- A local's scope begins after its declaration statement.
x = 10
do
  local x = x
  print(x)
  x = x + 1
  do
    local x = x + 1
    print(x)
  end
  print(x)
end
print(x)

-- expect: 10
-- expect: 12
-- expect: 11
-- expect: 10
