-- Every library function reachable here, called 60 times with hostile arguments (NaN,
-- extreme integers, malformed patterns, tables whose metamethods fail, ...) under pcall:
-- each call ends in a result or a clean error, never a crash.
-- limits: max_heap=256M
local vals = {false, true, 0, -1, 1, 2^53, math.maxinteger, math.mininteger, 1.5, 0/0, 1/0, -1/0, "", "a", "%", "%b", "[", "(", "%1", "10", {}, setmetatable({}, {__index = function() error("x") end, __len = function() return -5 end}), tostring, coroutine.create(function() end)}
local skip = {["os.exit"] = true, ["io.read"] = true, ["io.lines"] = true, ["debug.debug"] = true, ["io.stdin"] = true, ["os.remove"] = true, ["os.rename"] = true, ["io.open"] = true, ["io.output"] = true, ["io.input"] = true, ["os.tmpname"] = true, ["io.tmpfile"] = true, ["debug.sethook"] = true, ["collectgarbage"] = true, ["io.write"] = true, ["print"] = true, ["io.popen"] = true, ["dofile"] = true, ["loadfile"] = true, ["require"] = true, ["debug.setmetatable"] = true, ["setmetatable"] = true, ["debug.setlocal"] = true, ["debug.setupvalue"] = true, ["debug.upvaluejoin"] = true}
local fns = {}
for _, lib in ipairs{"_G", "string", "table", "math", "utf8", "coroutine", "os", "io", "debug"} do
  local t = lib == "_G" and _G or _G[lib] or {}
  for k, v in pairs(t) do
    local name = lib == "_G" and k or lib .. "." .. k
    if type(v) == "function" and not skip[name] then fns[#fns + 1] = {name, v} end
  end
end
table.sort(fns, function(a, b) return a[1] < b[1] end)
local n = 0
local seed = 1
local function pick() seed = (seed * 1103515245 + 12345) % 2147483648; return vals[seed % #vals + 1] end
for _, f in ipairs(fns) do
  for i = 1, 60 do
    local a, b, c = pick(), pick(), pick()
    pcall(f[2], a, b, c)
    n = n + 1
  end
end
print("calls", n > 1000)

-- expect: calls	true
