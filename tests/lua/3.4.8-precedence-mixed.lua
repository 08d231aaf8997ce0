-- Precedence across operator groups.
print(not 1 == 2, not (1 == 2), 1 .. 2 == "12", "a" .. 1 + 2)
print(1 < 2 == true, 1 + 1 == 2 and 3 or 4, nil == false or 5)
print(1 | 2 ~ 3 & 4 << 1, 1 | (2 ~ 3) & 4, 5 & 3 == 1)
print(-2 .. 3, #"abc" + 1, #"ab" .. "c", - - 2)
print(1 + 2 < 4 and "yes" or "no", 3 > 2 ~= false)

-- expect: false	true	true	a3
-- expect: true	3	5
-- expect: 3	1	true
-- expect: -23	4	2c	2
-- expect: yes	true
