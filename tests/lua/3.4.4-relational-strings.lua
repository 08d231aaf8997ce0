-- Strings compare byte by byte.
print("a" < "b", "abc" < "abd", "" < "a", "Z" < "a", "abc" < "ab")
print("10" < "9", "a\0b" < "a\0c", "a" <= "a", "b" >= "a")

-- expect: true	true	true	true	false
-- expect: true	true	true	true
