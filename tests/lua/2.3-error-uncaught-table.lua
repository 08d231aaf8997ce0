error({code = 1})

-- expect error: (error object is a table value)
