-- A Richards-style operating-system scheduler: six tasks of four kinds (idle, worker,
-- two handlers, two devices) pass work and device packets through per-task queues.
-- Objects are tables with metatables; every task step is a method call found through
-- two levels of __index. The argument is the total number of idle-task steps; the
-- system is built afresh and run for at most 10 000 of them at a time.
local steps = tonumber(arg and arg[1]) or 300000
local ROUND_STEPS = 10000

local IDLE, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = 1, 2, 3, 4, 5, 6
local WORK, DEVICE = "work", "device"

-- Packets ----------------------------------------------------------------------------

local Packet = {}
Packet.__index = Packet

function Packet.new(link, id, kind)
  return setmetatable({ link = link, id = id, kind = kind, a1 = 0, a2 = { 0, 0, 0, 0 } }, Packet)
end

-- Appends `p` to the queue that starts with `self` and returns the head.
function Packet:append(p)
  p.link = nil
  local last = self
  while last.link do last = last.link end
  last.link = p
  return self
end

-- Tasks ------------------------------------------------------------------------------

local Task = {}
Task.__index = Task

local function subclass(base)
  local class = setmetatable({}, base)
  class.__index = class
  return class
end

function Task.init(self, sched, id, priority, queue, waiting)
  self.sched, self.id, self.priority = sched, id, priority
  self.queue = queue
  self.pending = queue ~= nil
  self.waiting = waiting
  self.held = false
  sched:add(self)
  return self
end

function Task:is_suspended()
  return self.held or (self.waiting and not self.pending)
end

-- A packet arrives from the running task `from`; the task to run next is returned.
function Task:receive(p, from)
  if self.queue == nil then
    self.queue = p
    self.pending = true
    if self.priority > from.priority then return self end
  else
    self.queue:append(p)
  end
  return from
end

-- One step: a waiting task with a packet gets the first one; others get nil.
function Task:step()
  local p = nil
  if self.waiting and self.pending then
    p = self.queue
    self.queue = p.link
    self.pending = self.queue ~= nil
    self.waiting = false
  end
  return self:run(p)
end

local Idle = subclass(Task)
function Idle.new(sched, seed, steps)
  local t = setmetatable({ seed = seed, steps = steps }, Idle)
  return Task.init(t, sched, IDLE, 0, nil, false)
end
function Idle:run()
  local s = self.sched
  self.steps = self.steps - 1
  if self.steps == 0 then return s:hold() end
  self.seed = self.seed * 16807 % 2147483647
  if self.seed % 2 == 0 then return s:release(DEVICE_A) end
  return s:release(DEVICE_B)
end

local Worker = subclass(Task)
function Worker.new(sched, queue)
  local t = setmetatable({ dest = HANDLER_A, letter = 0 }, Worker)
  return Task.init(t, sched, WORKER, 1000, queue, true)
end
function Worker:run(p)
  local s = self.sched
  if p == nil then return s:wait() end
  self.dest = self.dest == HANDLER_A and HANDLER_B or HANDLER_A
  p.id = self.dest
  p.a1 = 0
  local a2 = p.a2
  for i = 1, 4 do
    local letter = self.letter + 1
    if letter > 26 then letter = 1 end
    self.letter = letter
    a2[i] = letter
  end
  return s:send(p)
end

local Handler = subclass(Task)
function Handler.new(sched, id, priority, queue)
  local t = setmetatable({ work = nil, devices = nil }, Handler)
  return Task.init(t, sched, id, priority, queue, true)
end
function Handler:run(p)
  local s = self.sched
  if p ~= nil then
    p.link = nil
    if p.kind == WORK then
      self.work = self.work and self.work:append(p) or p
    else
      self.devices = self.devices and self.devices:append(p) or p
    end
  end
  local w = self.work
  if w ~= nil then
    local n = w.a1
    if n >= 4 then
      self.work = w.link
      return s:send(w)
    end
    local d = self.devices
    if d ~= nil then
      self.devices = d.link
      n = n + 1
      d.a1 = w.a2[n]
      w.a1 = n
      return s:send(d)
    end
  end
  return s:wait()
end

local Device = subclass(Task)
function Device.new(sched, id, priority)
  local t = setmetatable({ holding = nil, total = 0 }, Device)
  return Task.init(t, sched, id, priority, nil, true)
end
function Device:run(p)
  local s = self.sched
  if p == nil then
    local h = self.holding
    if h == nil then return s:wait() end
    self.holding = nil
    return s:send(h)
  end
  self.holding = p
  self.total = self.total + p.a1
  return s:hold()
end

-- The scheduler ----------------------------------------------------------------------

local Scheduler = {}
Scheduler.__index = Scheduler

function Scheduler.new()
  return setmetatable({ tasks = {}, list = nil, current = nil, sends = 0, holds = 0 }, Scheduler)
end

-- Tasks are kept in a list from the highest priority down.
function Scheduler:add(t)
  self.tasks[t.id] = t
  local prev, cur = nil, self.list
  while cur and cur.priority > t.priority do prev, cur = cur, cur.next end
  t.next = cur
  if prev then prev.next = t else self.list = t end
end

function Scheduler:run()
  local t = self.list
  while t ~= nil do
    if t:is_suspended() then
      t = t.next
    else
      self.current = t
      t = t:step()
    end
  end
end

function Scheduler:wait()
  self.current.waiting = true
  return self.current
end

function Scheduler:hold()
  self.holds = self.holds + 1
  self.current.held = true
  return self.current.next
end

function Scheduler:release(id)
  local t = self.tasks[id]
  t.held = false
  if t.priority > self.current.priority then return t end
  return self.current
end

-- Sends a packet to the task it names; it comes back labelled with the sender.
function Scheduler:send(p)
  local to = self.tasks[p.id]
  self.sends = self.sends + 1
  p.link = nil
  p.id = self.current.id
  return to:receive(p, self.current)
end

local function run_system(seed, idle_steps)
  local s = Scheduler.new()
  Idle.new(s, seed, idle_steps)
  Worker.new(s, Packet.new(Packet.new(nil, WORKER, WORK), WORKER, WORK))
  local qa = Packet.new(Packet.new(Packet.new(nil, DEVICE_A, DEVICE), DEVICE_A, DEVICE), DEVICE_A, DEVICE)
  Handler.new(s, HANDLER_A, 2000, qa)
  local qb = Packet.new(Packet.new(Packet.new(nil, DEVICE_B, DEVICE), DEVICE_B, DEVICE), DEVICE_B, DEVICE)
  Handler.new(s, HANDLER_B, 3000, qb)
  Device.new(s, DEVICE_A, 4000)
  Device.new(s, DEVICE_B, 5000)
  s:run()
  return s.sends, s.holds, s.tasks[DEVICE_A].total + s.tasks[DEVICE_B].total
end

local sends, holds, data, round = 0, 0, 0, 0
while steps > 0 do
  round = round + 1
  local a, b, c = run_system(round, math.min(steps, ROUND_STEPS))
  sends, holds, data = sends + a, holds + b, data + c
  steps = steps - ROUND_STEPS
end
print(string.format("%d rounds: %d sends, %d holds, device data %d", round, sends, holds, data))
