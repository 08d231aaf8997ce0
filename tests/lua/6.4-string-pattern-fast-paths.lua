-- Pattern matcher fast paths: the start-position prefilter (first item after opening
-- captures), expansions scanned per class kind, gsub without replacements, gmatch
-- iterators whose subject only they hold.
local s = "ab12 cd345,,EF  6\0z"
-- Expansions of each class kind: any, class, complement, literal, escaped literal, set, negated set.
print(s:match(".+"):len(), s:match("%a+"), s:match("%A+"), s:match("b+"), s:match("%,+"))
print(s:match("[%d]+"), s:match("[^%a%s]+"), s:match("%z+") == "\0", s:match("%Z+"))
print(("aaa"):match("a*"), ("aaa"):match("a-$"), ("xaaa"):find("a+"), ("xaaa"):find("a*"))
-- The prefilter skips positions where the first item fails, with captures in front.
print(s:find("%d+"), s:find("(%d+)"), s:find("(()%u+)"), s:find("((%d)(%d))"))
print(s:find("x"), s:find("%u%u"), s:find("[,]+"), s:find("%s+()"), ("abc"):find("c+", 4))
print(("abc"):find("%a", 3), ("abc"):find("%a", 4), (""):find(".+"), (""):find("%a*"))
-- A malformed pattern still fails only where the matcher reaches the bad part.
print(pcall(string.find, "xyz", "a["), pcall(string.find, "xaz", "a["))
print(pcall(string.find, "xyz", "(a"), pcall(string.find, "xaz", "(a"))
print(pcall(string.find, "abc", "%"), pcall(string.find, "abc", "b%"))
-- gsub with nothing replaced returns the subject; counts and limits.
local t = "hello world"
print(t:gsub("z", "y"), t:gsub("o", "0", 1), t:gsub("", "-"), t:gsub("^h", "H"), t:gsub("^x", "H"))
print(t:gsub("%w+", "<%0>"), t:gsub("(o)", "%1%%"), t:gsub("l+", { ll = 1 }), t:gsub("o", function() return 2.5 end))
print(("abc"):gsub("%w", "%1"), pcall(string.gsub, "abc", "%w", "%2"), pcall(string.gsub, "abc", "%w", "%"))
print(("x = 1, y = 22"):gsub("(%w+) = (%w+)", "%2 = %1"), ("a,b,,c"):gsub(",", ";", 2))
-- Numbers returned by a replacement function become text without metamethods.
print(("n1 n2"):gsub("%d", function(d) return d * 10 end), ("n1"):gsub("%d", function() return 2^63 end))
-- A gmatch iterator keeps its subject and pattern alive on its own.
local it = string.gmatch(string.rep("ab", 3) .. "c", string.rep("%a", 2))
collectgarbage()
print(it(), it(), it(), it(), it())
for k, v in ("a=1, b=22, ccc=333"):gmatch("(%w+)=(%w+)") do io.write(k, ":", v, " ") end
print()
for a, b in ("abc"):gmatch("()(.)") do io.write(a, b, " ") end
print()
-- Balanced and frontier patterns, and back-references.
print(("f(a(b)c) (d"):match("%b()"), ("(("):find("%b()"), ("THE (quick) fox"):gsub("%f[%a]%a+", "W"))
print(("say 'hi' and \"bye\""):gsub("(['\"])(.-)%1", "<%2>"))

-- expect: 19	ab	12 	b	,,
-- expect: 12	12	true	ab12 cd345,,EF  6
-- expect: aaa	aaa	2	1	0
-- expect: 3	3	13	3	4	12	1	2
-- expect: nil	13	11	5	nil
-- expect: 3	nil	nil	1	0
-- expect: true	false	malformed pattern (missing ']')
-- expect: true	false	unfinished capture
-- expect: false	false	malformed pattern (ends with '%')
-- expect: hello world	hell0 world	-h-e-l-l-o- -w-o-r-l-d-	Hello world	hello world	0
-- expect: <hello> <world>	hello% wo%rld	he1o world	hell2.5 w2.5rld	2
-- expect: abc	false	false	invalid use of '%' in replacement string
-- expect: 1 = x, 22 = y	a;b;,c	2
-- expect: n10 n20	n9.2233720368548e+18	1
-- expect: ab	ab	ab	nil
-- expect: a:1 b:22 ccc:333 
-- expect: 1a 2b 3c 
-- expect: (a(b)c)	nil	W (W) W	3
-- expect: say <hi> and <bye>	2
