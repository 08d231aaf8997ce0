-- if / elseif / else chains pick the first true condition.
local function classify(n)
  if n < 0 then return "negative"
  elseif n == 0 then return "zero"
  elseif n < 10 then return "small"
  else return "large" end
end
print(classify(-5), classify(0), classify(3), classify(99))
if nil then print("no") end
if false then print("no") else print("else") end
if 0 then print("zero is true") end

-- expect: negative	zero	small	large
-- expect: else
-- expect: zero is true
