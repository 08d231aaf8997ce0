local x <static> = 1

-- expect error: unknown attribute 'static'
