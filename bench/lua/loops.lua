-- Numeric loops: nested integer for-loops, a while loop with a modular recurrence,
-- a descending loop, and float accumulation with a fractional step.
local n = tonumber(arg and arg[1]) or 4500

-- Integer work in nested loops; every intermediate stays below 2^53 so engines whose
-- numbers are all doubles compute exactly the same values.
local M = 1000000007
local s = 0
for i = 1, n do
  for j = 1, n do
    s = (s + i * j + (i + j) % 7) % M
  end
end

-- A while loop driving the Park-Miller generator (products stay below 2^46).
local x, hits, k = 1, 0, 0
while k < n * 200 do
  x = x * 16807 % 2147483647
  if x % 3 == 0 then hits = hits + 1 end
  k = k + 1
end

-- Counting down.
local down = 0
for i = n * 100, 1, -1 do
  down = down + i % 13
end

-- Floats: a harmonic sum with a fractional step and a product that stays bounded.
local h, p = 0.0, 1.0
for t = 1.0, n * 100, 0.5 do
  h = h + 1.0 / t
  p = p * 1.0000001
end

print(string.format("int %d  lcg %d %d  down %d", s, x, hits, down))
print(string.format("float %.6f %.6f", h, p))
