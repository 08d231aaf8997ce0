//! Random well-formed Lua programs.
