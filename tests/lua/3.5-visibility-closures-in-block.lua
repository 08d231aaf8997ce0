-- Closures over block locals: the variable is closed when the block ends.
local get
do
  local secret = "hidden"
  get = function() return secret end
  secret = "changed before close"
end
print(get())
local fns = {}
for round = 1, 2 do
  local shared = 0
  fns[round] = {
    inc = function() shared = shared + 1 end,
    get = function() return shared end,
  }
end
fns[1].inc(); fns[1].inc(); fns[2].inc()
print(fns[1].get(), fns[2].get())

-- expect: changed before close
-- expect: 2	1
