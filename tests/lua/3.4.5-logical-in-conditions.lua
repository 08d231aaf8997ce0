-- and/or in conditions, including nested and parenthesised forms.
local function check(a, b, c)
  if (a or b) and not c then return "yes" else return "no" end
end
print(check(true, false, false), check(false, false, false), check(nil, 1, nil), check(1, 1, 1))
local n = 5
print(n > 0 and n < 10, n > 0 and n > 10, n < 0 or n == 5)
while n > 0 and n ~= 2 do n = n - 1 end
print(n)

-- expect: yes	no	yes	no
-- expect: true	false	true
-- expect: 2
