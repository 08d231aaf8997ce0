local a
if a > 0 then print("no") end

-- expect error: attempt to compare number with nil
