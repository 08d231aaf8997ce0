-- select with a count, with positive and negative indices.
print(select("#"), select("#", nil), select("#", nil, nil))
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(4, "a", "b", "c"))

-- expect: 0	1	2
-- expect: b	c
-- expect: c
-- expect: b	c
-- expect:
