-- string.format with the common conversions.
print(string.format("%d %5d %-5d| %05d", 42, 42, 42, 42))
print(string.format("%.2f %10.3f %e %g %g", 3.14159, 2.5, 12345.678, 0.0001, 1e20))
print(string.format("%s %10s %-10s| %.2s", "str", "right", "left", "cut"))
print(string.format("%x %X %o %c%c %%", 255, 255, 8, 76, 117))
print(string.format("%q", 'a "quoted"\n string\0'))
print(string.format("%i %s %s", 7, 1.5, true))
print(string.format("%5.1f|%-8.3s|", 2.25, "abcdef"))

-- expect: 42    42 42   | 00042
-- expect: 3.14      2.500 1.234568e+04 0.0001 1e+20
-- expect: str      right left      | cu
-- expect: ff FF 10 Lu %
-- expect: "a \"quoted\"\
-- expect:  string\0"
-- expect: 7 1.5 true
-- expect:   2.2|abc     |
