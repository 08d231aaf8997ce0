-- Calls, varargs, multiple results, tail calls and constructors.
local function f(...)
  local a, b = ...
  local t = {...}
  local u = {a, b, f(a)}
  g(f(...))
  return f(a, ...)
end
local function h(x) return (f(x)) end
local p, q, r = f(), 1
return f, h, p, q, r
