-- The single-character escapes of short strings, compared by length and by equality
-- with their decimal forms so that no control character reaches stdout.
print(#"\a\b\f\n\r\t\v", #"\\\"\'")
print("\a" == "\7", "\b" == "\8", "\f" == "\12", "\n" == "\10")
print("\r" == "\13", "\t" == "\9", "\v" == "\11")
print("\\" == "\92", "\"" == '"', '\'' == "'")
print("tab:[\t]")
print('single "quotes" inside', "double 'quotes' inside")

-- expect: 7	3
-- expect: true	true	true	true
-- expect: true	true	true
-- expect: true	true	true
-- expect: tab:[	]
-- expect: single "quotes" inside	double 'quotes' inside
