-- Float arithmetic in tight loops: which points of a size x size grid over
-- [-1.5, 0.5] x [-1, 1] stay bounded for 50 iterations of z = z^2 + c.
-- The rows are packed into bytes, 8 points each, and the bytes folded into a checksum.
local size = tonumber(arg and arg[1]) or 800
local ITER = 50

local inside, checksum = 0, 0
for y = 0, size - 1 do
  local ci = 2.0 * y / size - 1.0
  local byte, bits = 0, 0
  for x = 0, size - 1 do
    local cr = 2.0 * x / size - 1.5
    local zr, zi, zr2, zi2 = 0.0, 0.0, 0.0, 0.0
    local escaped = false
    for _ = 1, ITER do
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      zr2 = zr * zr
      zi2 = zi * zi
      if zr2 + zi2 > 4.0 then escaped = true; break end
    end
    byte = byte * 2
    if not escaped then byte = byte + 1; inside = inside + 1 end
    bits = bits + 1
    if bits == 8 or x == size - 1 then
      checksum = (checksum * 31 + byte) % 1000000007
      byte, bits = 0, 0
    end
  end
end
print(string.format("%dx%d: %d points inside, checksum %d", size, size, inside, checksum))
