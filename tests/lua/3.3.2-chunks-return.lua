-- A chunk may end with return; nothing after the chunk runs.
print("before")
do return end
print("not reached")

-- expect: before
