-- collectgarbage("count") is a number of kilobytes; "collect" returns 0.
local k = collectgarbage("count")
print(type(k), k > 0)
print(collectgarbage("collect"), collectgarbage())
print(collectgarbage("isrunning"))

-- expect: number	true
-- expect: 0	0
-- expect: true
