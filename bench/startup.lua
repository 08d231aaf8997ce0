print("hello from a one-line script")
