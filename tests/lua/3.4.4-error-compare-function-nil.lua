local f = function() end
print(f >= nil)

-- expect error: attempt to compare nil with function
