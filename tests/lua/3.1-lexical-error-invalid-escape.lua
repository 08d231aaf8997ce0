print("a\qb")

-- expect error: invalid escape sequence near '"a\q'
