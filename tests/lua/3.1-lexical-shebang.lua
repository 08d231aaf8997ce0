#!/usr/bin/env lua5.4
-- A first line starting with # is skipped when a file is loaded.
print("after the shebang")

-- expect: after the shebang
