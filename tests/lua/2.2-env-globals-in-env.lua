-- A free name x is sugar for _ENV.x.
x = 1
print(_ENV.x)
_ENV.y = 2
print(y)
print(_ENV == _G, _G._G == _G)

-- expect: 1
-- expect: 2
-- expect: true	true
