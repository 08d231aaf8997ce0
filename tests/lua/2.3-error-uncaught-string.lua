print("before")
error("something went wrong")

-- expect: before
-- expect error: something went wrong
