-- The utf8 library.
print(utf8.char(72, 228, 8364, 128512))
print(utf8.len("häll€"), #"häll€", utf8.len("\xff"))
print(utf8.codepoint("häll€", 1, -1))
for p, c in utf8.codes("aé€") do print(p, c) end
print(utf8.offset("aé€", 3), #utf8.charpattern)

-- expect: Hä€😀
-- expect: 5	8	nil	1
-- expect: 104	228	108	108	8364
-- expect: 1	97
-- expect: 2	233
-- expect: 4	8364
-- expect: 4	14
