local limit <const> = 10
limit = 11

-- expect error: attempt to assign to const variable 'limit'
