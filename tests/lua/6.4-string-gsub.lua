-- gsub with string, table and function replacements and a limit.
print(("hello world"):gsub("o", "0"))
print(("hello world"):gsub("(%w+)", "<%1>"))
print(("hello world"):gsub("%w+", "%0 %0", 1))
print(("$name is $age"):gsub("%$(%w+)", {name = "Ann", age = 30}))
print(("1 2 3"):gsub("%d", function(d) return d * 2 end))
print(("abc"):gsub("", "-"))
print(("keep"):gsub("%w", function() return nil end))
print(("a.b"):gsub("%.", "%%"))

-- expect: hell0 w0rld	2
-- expect: <hello> <world>	2
-- expect: hello hello world	1
-- expect: Ann is 30	2
-- expect: 2 4 6	3
-- expect: -a-b-c-	4
-- expect: keep	4
-- expect: a%b	1
