-- goto can leave several nested loops at once.
for i = 1, 5 do
  for j = 1, 5 do
    if i * j == 6 then
      print("found", i, j)
      goto done
    end
  end
end
::done::
print("after")

-- expect: found	2	3
-- expect: after
