-- Statements may be separated by semicolons, spaces or line breaks, or nothing.
local a = 1; local b = 2;;; local c = a + b print(c)
	local	d	=	4	print(d)
;;print(a, b, c, d);

-- expect: 3
-- expect: 4
-- expect: 1	2	3	4
