//! `tarn-compiler`: Lua 5.4 source text to a Tarn [`tarn_bytecode::Module`].
