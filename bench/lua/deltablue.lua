-- A DeltaBlue-style incremental constraint solver: variables, constraints of several
-- strengths (stay, edit, equality, scale) and a planner that keeps the strongest
-- constraints satisfied as constraints come and go, then extracts and runs plans.
-- Objects are tables in a three-level class hierarchy of metatables. The argument is
-- how many times the chain and projection tests are run.
local rounds = tonumber(arg and arg[1]) or 150
local SIZE = 100

-- Strengths: a smaller number is a stronger constraint.
local REQUIRED, STRONG_PREFERRED, PREFERRED, STRONG_DEFAULT, NORMAL, WEAK_DEFAULT, WEAKEST =
  0, 1, 2, 3, 4, 5, 6
local function stronger(a, b) return a < b end
local function weaker(a, b) return a > b end
local function weakest_of(a, b) if a > b then return a end return b end

local NONE, FORWARD, BACKWARD = 0, 1, 2

local planner -- the planner of the test being run

local function class(base)
  local c = setmetatable({}, base)
  c.__index = c
  return c
end

-- Variables ---------------------------------------------------------------------------

local Variable = class(nil)

function Variable.new(name, value)
  return setmetatable({ name = name, value = value, constraints = {}, determined_by = nil,
                        walk_strength = WEAKEST, stay = true, mark = 0 }, Variable)
end

function Variable:add_constraint(c)
  local cs = self.constraints
  cs[#cs + 1] = c
end

function Variable:remove_constraint(c)
  local cs, kept = self.constraints, {}
  for i = 1, #cs do
    if cs[i] ~= c then kept[#kept + 1] = cs[i] end
  end
  self.constraints = kept
  if self.determined_by == c then self.determined_by = nil end
end

-- Constraints -------------------------------------------------------------------------

local Constraint = class(nil)

function Constraint:add_constraint()
  self:add_to_graph()
  planner:incremental_add(self)
end

function Constraint:destroy_constraint()
  if self:is_satisfied() then planner:incremental_remove(self) end
  self:remove_from_graph()
end

function Constraint:is_input() return false end

-- Tries to satisfy this constraint; returns the constraint it overrode, if any.
function Constraint:satisfy(mark)
  self:choose_method(mark)
  if not self:is_satisfied() then
    if self.strength == REQUIRED then error("a required constraint cannot be satisfied") end
    return nil
  end
  self:mark_inputs(mark)
  local out = self:output()
  local overridden = out.determined_by
  if overridden ~= nil then overridden:mark_unsatisfied() end
  out.determined_by = self
  if not planner:add_propagate(self, mark) then error("cycle in the constraint graph") end
  out.mark = mark
  return overridden
end

-- Constraints on one variable.
local Unary = class(Constraint)

function Unary.init(self, v, strength)
  self.out, self.strength, self.satisfied = v, strength, false
  self:add_constraint()
  return self
end

function Unary:add_to_graph() self.out:add_constraint(self); self.satisfied = false end
function Unary:remove_from_graph() self.out:remove_constraint(self); self.satisfied = false end
function Unary:choose_method(mark)
  self.satisfied = self.out.mark ~= mark and stronger(self.strength, self.out.walk_strength)
end
function Unary:is_satisfied() return self.satisfied end
function Unary:mark_inputs() end
function Unary:output() return self.out end
function Unary:mark_unsatisfied() self.satisfied = false end
function Unary:inputs_known() return true end
function Unary:recalculate()
  local out = self.out
  out.walk_strength = self.strength
  out.stay = not self:is_input()
  if out.stay then self:execute() end
end

-- Keeps a variable where it is unless something stronger moves it.
local Stay = class(Unary)
function Stay.new(v, strength) return Unary.init(setmetatable({}, Stay), v, strength) end
function Stay:execute() end

-- Marks a variable the user is about to change.
local Edit = class(Unary)
function Edit.new(v, strength) return Unary.init(setmetatable({}, Edit), v, strength) end
function Edit:is_input() return true end
function Edit:execute() end

-- Constraints between two variables, enforced in one direction at a time.
local Binary = class(Constraint)

function Binary.init(self, v1, v2, strength)
  self.v1, self.v2, self.strength, self.direction = v1, v2, strength, NONE
  self:add_constraint()
  return self
end

function Binary:choose_method(mark)
  local v1, v2, s = self.v1, self.v2, self.strength
  if v1.mark == mark then
    self.direction = (v2.mark ~= mark and stronger(s, v2.walk_strength)) and FORWARD or NONE
  elseif v2.mark == mark then
    self.direction = (v1.mark ~= mark and stronger(s, v1.walk_strength)) and BACKWARD or NONE
  elseif weaker(v1.walk_strength, v2.walk_strength) then
    self.direction = stronger(s, v1.walk_strength) and BACKWARD or NONE
  else
    self.direction = stronger(s, v2.walk_strength) and FORWARD or NONE
  end
end

function Binary:add_to_graph()
  self.v1:add_constraint(self)
  self.v2:add_constraint(self)
  self.direction = NONE
end
function Binary:remove_from_graph()
  self.v1:remove_constraint(self)
  self.v2:remove_constraint(self)
  self.direction = NONE
end
function Binary:is_satisfied() return self.direction ~= NONE end
function Binary:mark_inputs(mark) self:input().mark = mark end
function Binary:input() if self.direction == FORWARD then return self.v1 end return self.v2 end
function Binary:output() if self.direction == FORWARD then return self.v2 end return self.v1 end
function Binary:mark_unsatisfied() self.direction = NONE end
function Binary:inputs_known(mark)
  local i = self:input()
  return i.mark == mark or i.stay or i.determined_by == nil
end
function Binary:recalculate()
  local input, out = self:input(), self:output()
  out.walk_strength = weakest_of(self.strength, input.walk_strength)
  out.stay = input.stay
  if out.stay then self:execute() end
end

-- v1 == v2
local Equality = class(Binary)
function Equality.new(v1, v2, strength)
  return Binary.init(setmetatable({}, Equality), v1, v2, strength)
end
function Equality:execute() self:output().value = self:input().value end

-- dest == src * scale + offset, where scale and offset are variables too.
local Scale = class(Binary)
function Scale.new(src, scale, offset, dest, strength)
  local c = setmetatable({ scale = scale, offset = offset }, Scale)
  return Binary.init(c, src, dest, strength)
end
function Scale:add_to_graph()
  Binary.add_to_graph(self)
  self.scale:add_constraint(self)
  self.offset:add_constraint(self)
end
function Scale:remove_from_graph()
  Binary.remove_from_graph(self)
  self.scale:remove_constraint(self)
  self.offset:remove_constraint(self)
end
function Scale:mark_inputs(mark)
  Binary.mark_inputs(self, mark)
  self.scale.mark = mark
  self.offset.mark = mark
end
function Scale:execute()
  if self.direction == FORWARD then
    self.v2.value = self.v1.value * self.scale.value + self.offset.value
  else
    self.v1.value = (self.v2.value - self.offset.value) / self.scale.value
  end
end
function Scale:recalculate()
  local input, out = self:input(), self:output()
  out.walk_strength = weakest_of(self.strength, input.walk_strength)
  out.stay = input.stay and self.scale.stay and self.offset.stay
  if out.stay then self:execute() end
end

-- The planner ---------------------------------------------------------------------------

local Planner = class(nil)

function Planner.new() return setmetatable({ mark = 0 }, Planner) end

function Planner:new_mark()
  self.mark = self.mark + 1
  return self.mark
end

-- Satisfies `c`, retracting weaker constraints (which may in turn be re-satisfied).
function Planner:incremental_add(c)
  local mark = self:new_mark()
  local overridden = c:satisfy(mark)
  while overridden ~= nil do overridden = overridden:satisfy(mark) end
end

-- Removes `c` and lets the constraints it was blocking try again, strongest first.
function Planner:incremental_remove(c)
  local out = c:output()
  c:mark_unsatisfied()
  c:remove_from_graph()
  local unsatisfied = self:remove_propagate_from(out)
  for strength = REQUIRED, WEAKEST - 1 do
    for i = 1, #unsatisfied do
      local u = unsatisfied[i]
      if u.strength == strength then self:incremental_add(u) end
    end
  end
end

-- Appends to `list` the satisfied constraints that read `v`.
local function add_consumers(v, list)
  local determining = v.determined_by
  local cs = v.constraints
  for i = 1, #cs do
    local c = cs[i]
    if c ~= determining and c:is_satisfied() then list[#list + 1] = c end
  end
end

-- Recomputes walk strengths and stay flags downstream of `c`; false on a cycle.
function Planner:add_propagate(c, mark)
  local todo, head = { c }, 1
  while head <= #todo do
    local d = todo[head]
    head = head + 1
    if d:output().mark == mark then
      self:incremental_remove(c)
      return false
    end
    d:recalculate()
    add_consumers(d:output(), todo)
  end
  return true
end

-- Cuts `out` loose and returns the constraints left unsatisfied downstream of it.
function Planner:remove_propagate_from(out)
  out.determined_by = nil
  out.walk_strength = WEAKEST
  out.stay = true
  local unsatisfied, todo, head = {}, { out }, 1
  while head <= #todo do
    local v = todo[head]
    head = head + 1
    local cs = v.constraints
    for i = 1, #cs do
      if not cs[i]:is_satisfied() then unsatisfied[#unsatisfied + 1] = cs[i] end
    end
    local determining = v.determined_by
    for i = 1, #cs do
      local c = cs[i]
      if c ~= determining and c:is_satisfied() then
        c:recalculate()
        todo[#todo + 1] = c:output()
      end
    end
  end
  return unsatisfied
end

-- An ordered list of constraints to run, starting from the given input constraints.
function Planner:make_plan(sources)
  local mark = self:new_mark()
  local plan, todo, head = {}, {}, 1
  for i = 1, #sources do todo[i] = sources[i] end
  while head <= #todo do
    local c = todo[head]
    head = head + 1
    local out = c:output()
    if out.mark ~= mark and c:inputs_known(mark) then
      plan[#plan + 1] = c
      out.mark = mark
      add_consumers(out, todo)
    end
  end
  return plan
end

function Planner:extract_plan(constraints)
  local sources = {}
  for i = 1, #constraints do
    local c = constraints[i]
    if c:is_input() and c:is_satisfied() then sources[#sources + 1] = c end
  end
  return self:make_plan(sources)
end

local function execute(plan)
  for i = 1, #plan do plan[i]:execute() end
end

-- The tests -----------------------------------------------------------------------------

local checksum = 0
local function check(ok, what)
  if not ok then error("deltablue: " .. what) end
end

-- A chain of equalities; editing the first variable must move the last.
local function chain_test(n)
  planner = Planner.new()
  local vars = {}
  for i = 0, n do vars[i] = Variable.new("v" .. i, 0) end
  for i = 0, n - 1 do Equality.new(vars[i], vars[i + 1], REQUIRED) end
  local first, last = vars[0], vars[n]
  Stay.new(last, STRONG_DEFAULT)
  local edit = Edit.new(first, PREFERRED)
  local plan = planner:extract_plan({ edit })
  for i = 1, 100 do
    first.value = i
    execute(plan)
    check(last.value == i, "chain")
    checksum = checksum + last.value
  end
  edit:destroy_constraint()
  checksum = checksum + #plan
end

-- Edits `v` to `value` through a temporary edit constraint.
local function change(v, value)
  local edit = Edit.new(v, PREFERRED)
  local plan = planner:extract_plan({ edit })
  for _ = 1, 10 do
    v.value = value
    execute(plan)
  end
  edit:destroy_constraint()
  checksum = checksum + #plan
end

-- Many scale constraints sharing one scale and one offset; edits on either side.
local function projection_test(n)
  planner = Planner.new()
  local scale, offset = Variable.new("scale", 10), Variable.new("offset", 1000)
  local src, dst
  local dests = {}
  for i = 0, n - 1 do
    src = Variable.new("src" .. i, i)
    dst = Variable.new("dst" .. i, i)
    dests[#dests + 1] = dst
    Stay.new(src, NORMAL)
    Scale.new(src, scale, offset, dst, REQUIRED)
  end
  change(src, 17)
  check(dst.value == 1170, "projection 1")
  change(dst, 1050)
  check(src.value == 5, "projection 2")
  change(scale, 5)
  for i = 0, n - 2 do check(dests[i + 1].value == i * 5 + 1000, "projection 3") end
  change(offset, 2000)
  for i = 0, n - 2 do check(dests[i + 1].value == i * 5 + 2000, "projection 4") end
  for i = 1, #dests do checksum = checksum + dests[i].value end
end

for _ = 1, rounds do
  chain_test(SIZE)
  projection_test(SIZE)
end
print(string.format("rounds %d: checksum %d", rounds, checksum))
