-- f"..." and f{...} call forms with core features only.
local function first(t) return t[1] end
local function id(s) return s end
print(first{"one", "two"}, id"str", id[[long]], id'single')
local chained = function(a) return function(b) return a .. b end end
print(chained"x""y", chained "p" [[q]])

-- expect: one	str	long	single
-- expect: xy	pq
