goto inner
do
  ::inner::
  print("x")
end

-- expect error: no visible label 'inner' for <goto> at line 1
