-- Error values of different types, turned into strings for printing.
for _, v in ipairs({"s", 1, 2.5, true}) do
  local ok, e = pcall(error, v)
  print(ok, tostring(e), type(e))
end

-- expect: false	s	string
-- expect: false	1	number
-- expect: false	2.5	number
-- expect: false	true	boolean
