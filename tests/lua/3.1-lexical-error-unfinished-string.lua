print("ok")
print("abc)

-- expect error: unfinished string near '"abc)'
