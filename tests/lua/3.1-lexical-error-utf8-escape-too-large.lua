print("\u{80000000}")

-- expect error: UTF-8 value too large near '"\u{80000000'
