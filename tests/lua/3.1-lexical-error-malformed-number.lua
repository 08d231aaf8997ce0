local x = 3..2

-- expect error: malformed number near '3..2'
