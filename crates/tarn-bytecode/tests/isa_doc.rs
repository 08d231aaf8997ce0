//! `docs/isa.md` must match the instruction table. `TARN_BLESS=1` rewrites it.

use std::path::PathBuf;

#[test]
fn isa_doc_matches_table() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/isa.md");
    let expected = tarn_bytecode::isa_doc::isa_markdown();
    if std::env::var_os("TARN_BLESS").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/isa.md is out of date with the instruction table; run \
         `TARN_BLESS=1 cargo test -p tarn-bytecode --test isa_doc` and commit the result"
    );
}

#[test]
fn opcode_bytes_and_mnemonics_are_unique() {
    use std::collections::HashSet;
    let ops = tarn_bytecode::Opcode::ALL;
    let bytes: HashSet<u8> = ops.iter().map(|o| o.byte()).collect();
    let names: HashSet<&str> = ops.iter().map(|o| o.mnemonic()).collect();
    assert_eq!(bytes.len(), ops.len());
    assert_eq!(names.len(), ops.len());
    for &op in ops {
        assert_eq!(tarn_bytecode::Opcode::from_byte(op.byte()), Some(op));
        assert_eq!(tarn_bytecode::Opcode::from_mnemonic(op.mnemonic()), Some(op));
    }
}
