-- Same computation as loop.tasm: integer and float arithmetic in a numeric for loop.
local isum, fsum = 0, 0.0
for i = 1, 20000000 do
  isum = isum + i * i % 7
  fsum = fsum + i * 0.5
end
print(isum, fsum)
