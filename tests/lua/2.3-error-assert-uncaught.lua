assert(1 == 2, "values differ")

-- expect error: values differ
