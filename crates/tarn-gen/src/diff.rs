//! Differential runs: the same Lua program under Tarn and under `lua5.4`.
