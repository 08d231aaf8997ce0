print("\256")

-- expect error: decimal escape too large near '"\256"'
