-- Character classes, sets, complements and the frontier pattern.
local s = "Ab1 _.\tZ9"
print((s:gsub("%a", "a")), (s:gsub("%d", "d")), (s:gsub("%s", "s")))
print((s:gsub("%w", "w")), (s:gsub("%p", "p")), (s:gsub("%l", "l")), (s:gsub("%u", "u")))
print((s:gsub("[%w_]", "x")), (s:gsub("[^%w]", "-")), (("0xFF"):gsub("%x", "h")))
print((("THE (quick) fox"):gsub("%f[%a]%a+", "W")))
print(("aaab"):match("a-b"), ("aaab"):match("a*"), ("b"):match("a?b"), ("aab"):match("a+"))

-- expect: aa1 _.	a9	Abd _.	Zd	Ab1s_.sZ9
-- expect: www _.	ww	Ab1 pp	Z9	Al1 _.	Z9	ub1 _.	u9
-- expect: xxx x.	xx	Ab1----Z9	hxhh
-- expect: W (W) W
-- expect: aaab	aaa	b	aa
