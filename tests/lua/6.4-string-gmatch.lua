-- gmatch iterates over matches.
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print(#words, table.concat(words, ","))
for k, v in ("a=1, b=2"):gmatch("(%w+)=(%w+)") do print(k, v) end
local n = 0
for _ in ("aaa"):gmatch("") do n = n + 1 end
print(n)

-- expect: 3	one,two,three
-- expect: a	1
-- expect: b	2
-- expect: 4
