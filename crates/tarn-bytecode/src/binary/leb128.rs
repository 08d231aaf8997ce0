//! Unsigned LEB128 varints, the format's encoding for every count, length and index.
//!
//! Seven bits per byte, least significant group first, high bit set on every byte but
//! the last. The reader accepts only the *minimal* encoding of a value that fits in the
//! requested width, so each value has exactly one spelling and `encode(decode(b)) == b`
//! holds for every accepted file:
//! - an encoding longer than one byte may not end in `0x00` (that group adds nothing);
//! - a value may not need more bits than the target width, and the encoding may not
//!   run past the last byte that can still hold bits of that width.
//!
//! The reader never reads past the slice it is given and never panics.

/// Why a varint could not be read. The caller adds the position and what was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LebError {
    /// The input ended before a byte without the continuation bit.
    Truncated,
    /// The encoding is longer than necessary (ends in a `0x00` group).
    Overlong,
    /// The value needs more than the requested number of bits.
    Overflow,
}

/// Appends the minimal LEB128 encoding of `value`.
pub(super) fn write(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads a minimally encoded value of at most `bits` bits (1..=64) from the start of
/// `bytes`. Returns the value and the number of bytes it took.
pub(super) fn read(bytes: &[u8], bits: u32) -> Result<(u64, usize), LebError> {
    debug_assert!((1..=64).contains(&bits));
    let mut value: u64 = 0;
    let mut shift: u32 = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        let group = u64::from(byte & 0x7f);
        // Bits of this group that land at or above `bits` make the value too wide.
        // `shift < bits` holds here: the loop stops at the last byte that can hold bits.
        let room = bits - shift;
        if room < 7 && group >> room != 0 {
            return Err(LebError::Overflow);
        }
        value |= group << shift;
        if byte & 0x80 == 0 {
            if index > 0 && byte == 0 {
                return Err(LebError::Overlong);
            }
            return Ok((value, index + 1));
        }
        shift += 7;
        if shift >= bits {
            // A continuation past the last byte that can carry bits of this width: the
            // encoding is too long for the width whatever follows.
            return Err(LebError::Overflow);
        }
    }
    Err(LebError::Truncated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        write(&mut out, value);
        out
    }

    #[test]
    fn known_encodings() {
        assert_eq!(encoded(0), [0x00]);
        assert_eq!(encoded(1), [0x01]);
        assert_eq!(encoded(127), [0x7f]);
        assert_eq!(encoded(128), [0x80, 0x01]);
        assert_eq!(encoded(624_485), [0xe5, 0x8e, 0x26]);
        assert_eq!(encoded(u64::from(u32::MAX)), [0xff, 0xff, 0xff, 0xff, 0x0f]);
        assert_eq!(encoded(u64::MAX).len(), 10);
    }

    #[test]
    fn round_trips_at_every_width_boundary() {
        for bits in [8u32, 16, 32, 64] {
            let max = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
            let values = [0, 1, 127, 128, 16_383, 16_384, max / 2, max - 1, max];
            for value in values.into_iter().filter(|&v| v <= max) {
                let bytes = encoded(value);
                assert_eq!(read(&bytes, bits), Ok((value, bytes.len())), "{value} in {bits} bits");
                // Trailing bytes are left for the caller.
                let mut longer = bytes.clone();
                longer.push(0xaa);
                assert_eq!(read(&longer, bits), Ok((value, bytes.len())));
            }
        }
    }

    #[test]
    fn rejects_values_wider_than_the_target() {
        assert_eq!(read(&encoded(1 << 32), 32), Err(LebError::Overflow));
        assert_eq!(read(&encoded(256), 8), Err(LebError::Overflow));
        assert_eq!(read(&encoded(1 << 40), 32), Err(LebError::Overflow));
        // Fifth byte of a u32 may carry only four bits.
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0x1f], 32), Err(LebError::Overflow));
        // A continuation bit on the fifth byte of a u32 is too long whatever follows.
        assert_eq!(read(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 32), Err(LebError::Overflow));
        // Tenth byte of a u64 may carry only one bit.
        let mut wide = vec![0xff; 9];
        wide.push(0x02);
        assert_eq!(read(&wide, 64), Err(LebError::Overflow));
    }

    #[test]
    fn rejects_overlong_encodings() {
        assert_eq!(read(&[0x80, 0x00], 32), Err(LebError::Overlong));
        assert_eq!(read(&[0x81, 0x80, 0x00], 32), Err(LebError::Overlong));
        assert_eq!(read(&[0xff, 0xff, 0xff, 0xff, 0x00], 32), Err(LebError::Overlong));
    }

    #[test]
    fn rejects_truncated_input() {
        assert_eq!(read(&[], 32), Err(LebError::Truncated));
        assert_eq!(read(&[0x80], 32), Err(LebError::Truncated));
        assert_eq!(read(&[0xff, 0xff], 64), Err(LebError::Truncated));
    }

    #[test]
    fn every_short_input_is_read_or_rejected_without_panicking() {
        // Exhaustive over all one- and two-byte inputs at each width.
        for bits in [8u32, 16, 32, 64] {
            for a in 0..=255u8 {
                let _ = read(&[a], bits);
                for b in 0..=255u8 {
                    if let Ok((value, len)) = read(&[a, b], bits) {
                        assert_eq!(encoded(value), [a, b][..len], "minimal encodings only");
                    }
                }
            }
        }
    }
}
