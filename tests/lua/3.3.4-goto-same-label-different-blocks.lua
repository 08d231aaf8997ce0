-- The same label name may be used in separate blocks.
for i = 1, 2 do
  do goto l end
  ::l::
  print(i)
end
do ::l:: end
print("end")

-- expect: 1
-- expect: 2
-- expect: end
