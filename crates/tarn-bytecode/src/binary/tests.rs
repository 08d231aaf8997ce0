//! Property and robustness tests over random modules. They live inside the crate because
//! `testgen` is compiled for the crate's own tests without enabling a feature; the
//! hand-built and malformed-file tests are in `tests/binary_*.rs`.
//!
//! - `decode(encode(m)) == m` and `encode(decode(encode(m))) == encode(m)` for random `m`;
//! - a fixed-seed mutation loop (bit flips, byte stores, truncation, insertion, deletion,
//!   splices between files), half of it inside one section whose length is then fixed up,
//!   and with the checksum resealed most of the time, so the payload decoders are reached: decode never panics, every error is a decode error with an
//!   offset inside the input, and whatever decodes re-encodes to exactly the same bytes.

use proptest::prelude::*;

use super::*;
use crate::testgen::{random_module, Shape};
use crate::ErrorKind;

fn decode_error(bytes: &[u8]) -> Option<DecodeError> {
    match decode(bytes) {
        Ok(_) => None,
        Err(e) => match e.kind() {
            ErrorKind::Decode(d) => Some(d.clone()),
            other => panic!("decode returned a non-decode error: {other:?}"),
        },
    }
}

const LARGE: Shape = Shape { max_functions: 12, max_code: 120, max_constants: 40 };

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn decode_inverts_encode(seed in any::<u64>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let module = random_module(&mut rng, Shape::default());
        let bytes = encode(&module);
        let back = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &module);
        prop_assert_eq!(encode(&back), bytes);
    }

    #[test]
    fn decode_inverts_encode_for_larger_modules(seed in any::<u64>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let module = random_module(&mut rng, LARGE);
        let bytes = encode(&module);
        let back = decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, &module);
        prop_assert_eq!(encode(&back), bytes);
    }

    #[test]
    fn stripping_debug_info_removes_exactly_the_debug_section(seed in any::<u64>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut module = random_module(&mut rng, Shape::default());
        let full = encode(&module);
        module.strip();
        let stripped = encode(&module);
        prop_assert!(stripped.len() <= full.len());
        prop_assert_eq!(decode(&stripped).map_err(|e| TestCaseError::fail(e.to_string()))?.debug, None);
    }
}

/// Mutates `bytes` in one of several ways; `other` is a second valid file to splice from.
fn mutate(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    let len = bytes.len();
    match rng.u8(0..7) {
        0 => {
            for _ in 0..rng.usize(1..=4) {
                let i = rng.usize(0..len);
                bytes[i] ^= 1 << rng.u8(0..8);
            }
        }
        1 => {
            let i = rng.usize(0..len);
            bytes[i] = [0x00, 0x01, 0x7f, 0x80, 0xff, rng.u8(..)][rng.usize(0..6)];
        }
        2 => bytes.truncate(rng.usize(0..len)),
        3 => {
            let i = rng.usize(0..=len);
            let extra: Vec<u8> = (0..rng.usize(1..8)).map(|_| rng.u8(..)).collect();
            bytes.splice(i..i, extra);
        }
        4 => {
            let i = rng.usize(0..len);
            let j = rng.usize(i..=len.min(i + 16));
            bytes.drain(i..j);
        }
        5 => {
            // Replace a range with a range of another file: plausible structure in the
            // wrong place.
            let i = rng.usize(0..len);
            let j = rng.usize(i..=len);
            let a = rng.usize(0..other.len());
            let b = rng.usize(a..=other.len());
            bytes.splice(i..j, other[a..b].iter().copied());
        }
        _ => {
            // Set a LEB128 count-like byte to something huge.
            let i = rng.usize(0..len);
            let huge = [0xff, 0xff, 0xff, 0xff, 0x0f];
            bytes.splice(i..(i + 1).min(len), huge);
        }
    }
}

/// A file's header and its `(id, payload)` sections.
type Framed<'a> = (&'a [u8], Vec<(u8, &'a [u8])>);

/// Splits a well-framed file into its header and sections.
fn split_sections(bytes: &[u8]) -> Option<Framed<'_>> {
    let (header, mut rest) = bytes.split_at_checked(HEADER_LEN)?;
    let mut sections = Vec::new();
    while let Some((&id, after_id)) = rest.split_first() {
        let (len, used) = leb128::read(after_id, 32).ok()?;
        let (payload, after) = after_id.get(used..)?.split_at_checked(usize::try_from(len).ok()?)?;
        sections.push((id, payload));
        rest = after;
    }
    Some((header, sections))
}

/// Mutates one section's payload and writes its length back, so that the framing stays
/// intact and the payload decoders see the damage.
fn mutate_inside_a_section(rng: &mut fastrand::Rng, bytes: &mut Vec<u8>, other: &[u8]) {
    let Some((header, sections)) = split_sections(bytes) else { return };
    let victim = rng.usize(0..sections.len().saturating_sub(1).max(1));
    let mut out = header.to_vec();
    for (i, (id, payload)) in sections.into_iter().enumerate() {
        let mut payload = payload.to_vec();
        if i == victim && !payload.is_empty() {
            mutate(rng, &mut payload, other);
        }
        out.push(id);
        leb128::write(&mut out, payload.len() as u64);
        out.extend_from_slice(&payload);
    }
    *bytes = out;
}

#[test]
fn mutated_files_never_panic_and_canonical_files_round_trip() {
    let mut rng = fastrand::Rng::with_seed(0x7a2b_0001);
    let (mut resealed, mut checksum_rejections, mut accepted) = (0usize, 0usize, 0usize);
    for _ in 0..4000 {
        let a = encode(&random_module(&mut rng, Shape::default()));
        let b = encode(&random_module(&mut rng, Shape::default()));
        let mut bytes = a.clone();
        let inside = rng.bool();
        for _ in 0..rng.usize(1..=3) {
            if inside {
                mutate_inside_a_section(&mut rng, &mut bytes, &b);
            } else if !bytes.is_empty() {
                mutate(&mut rng, &mut bytes, &b);
            }
        }
        let reseal_it = rng.u8(0..8) != 0;
        if reseal_it {
            reseal(&mut bytes);
            resealed += 1;
        }
        match decode(&bytes) {
            Ok(module) => {
                accepted += 1;
                assert_eq!(encode(&module), bytes, "a file that decodes must be the canonical encoding");
            }
            Err(_) => {
                let e = decode_error(&bytes).unwrap();
                assert!(
                    e.offset <= bytes.len(),
                    "offset {} beyond the {} input bytes: {e}",
                    e.offset,
                    bytes.len()
                );
                assert!(!e.message.is_empty());
                if reseal_it && e.message.contains("checksum mismatch") {
                    checksum_rejections += 1;
                }
            }
        }
    }
    // Resealing must get mutants past the checksum, or this loop tests nothing deeper.
    assert!(
        checksum_rejections * 20 < resealed,
        "{checksum_rejections} of {resealed} resealed files failed the checksum"
    );
    // Some mutations (bytes inside a string or an operand) leave a valid file.
    assert!(accepted > 0);
}

#[test]
fn unsealed_mutations_fail_the_checksum_or_the_framing() {
    let mut rng = fastrand::Rng::with_seed(0x7a2b_0002);
    for _ in 0..500 {
        let bytes = encode(&random_module(&mut rng, Shape::default()));
        let mut flipped = bytes.clone();
        // Flip one bit outside the header (header damage has its own messages).
        let i = rng.usize(HEADER_LEN..flipped.len());
        flipped[i] ^= 1 << rng.u8(0..8);
        assert!(decode_error(&flipped).is_some(), "a single bit flip at byte {i} went unnoticed");
    }
}

#[test]
fn every_prefix_of_random_modules_fails_cleanly() {
    let mut rng = fastrand::Rng::with_seed(0x7a2b_0003);
    for _ in 0..20 {
        let bytes = encode(&random_module(&mut rng, Shape::default()));
        for cut in 0..bytes.len() {
            let e = decode_error(&bytes[..cut]).unwrap_or_else(|| panic!("a {cut}-byte prefix decoded"));
            assert!(e.offset <= cut);
        }
    }
}
