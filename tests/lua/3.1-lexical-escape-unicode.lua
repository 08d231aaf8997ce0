-- \u{XXX} inserts the UTF-8 encoding of the code point (up to 2^31 - 1 in Lua 5.4).
print("\u{48}\u{49}", "\u{0041}\u{00000042}")
print(#"\u{7F}", #"\u{80}", #"\u{7FF}", #"\u{800}", #"\u{FFFF}", #"\u{10000}", #"\u{10FFFF}")
print(#"\u{200000}", #"\u{3FFFFFF}", #"\u{4000000}", #"\u{7FFFFFFF}")
print("\u{E9}" == "\xC3\xA9", "\u{20AC}" == "\xE2\x82\xAC")
print("caf\u{E9}")

-- expect: HI	AB
-- expect: 1	2	2	3	3	4	4
-- expect: 5	5	6	6
-- expect: true	true
-- expect: café
