print("x")
break

-- expect error: break outside loop at line 2
