local s = [==[ never closed ]=]
print(s)

-- expect error: unfinished long string (starting at line 1) near <eof>
