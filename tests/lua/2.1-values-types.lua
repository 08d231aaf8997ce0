-- type() names the eight basic types.
print(type(nil), type(true), type(false), type(0), type(1.5))
print(type("s"), type({}), type(print), type(function() end))
print(type(coroutine.create(function() end)))
print(type(type), type(type(1)))

-- expect: nil	boolean	boolean	number	number
-- expect: string	table	function	function
-- expect: thread
-- expect: function	string
