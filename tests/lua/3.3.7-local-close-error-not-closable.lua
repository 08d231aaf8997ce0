print("start")
local x <close> = {}

-- expect: start
-- expect error: variable 'x' got a non-closable value
