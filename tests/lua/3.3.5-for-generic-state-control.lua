-- The iterator receives the state and the control variable on every call.
local function step(state, control)
  if control < state.max then return control + state.by end
end
for v in step, {max = 10, by = 3}, 0 do print(v) end

-- expect: 3
-- expect: 6
-- expect: 9
-- expect: 12
