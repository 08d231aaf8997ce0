for i = 1, 3 do
  goto nowhere
end

-- expect error: no visible label 'nowhere' for <goto> at line 2
