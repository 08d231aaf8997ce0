-- A label at the end of a block is visible from the whole block, even past locals.
do
  goto finish
  local x = 1
  print(x)
  ::finish::
end
print("ok")
do
  do goto out end
  print("skipped")
  ::out::
end
print("ok2")

-- expect: ok
-- expect: ok2
