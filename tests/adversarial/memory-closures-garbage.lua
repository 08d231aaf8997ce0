-- Lots of garbage under a small heap is collected, not charged forever.
-- limits: max_heap=8M
-- expect: done
for i = 1, 300000 do
  local t = {i, tostring(i), function() return i end}
  t[4] = t
end
print("done")
