//! A bounded cursor over one region of an untrusted file (the header, a section payload,
//! a function's code), with the checked reads the decoder is built from.
//!
//! Invariants:
//! - `pos <= bytes.len()` always; no read goes past the region, so a lying length inside
//!   a section can never reach into the next one.
//! - Every error carries the absolute file offset where the bad or missing data starts.
//! - [`Reader::count`] is the only way the decoder learns how many items to allocate: it
//!   checks the count against its documented limit *and* against the bytes left in the
//!   region (each item needs at least some bytes) before the caller reserves anything.

use super::leb128::{self, LebError};
use super::DecodeError;
use crate::module::limits;

/// `"1 byte"`, `"2 bytes"`: messages read naturally at every count.
pub(super) fn n_bytes(n: usize) -> String {
    if n == 1 {
        "1 byte".to_owned()
    } else {
        format!("{n} bytes")
    }
}

pub(super) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Absolute offset of `bytes[0]` in the file.
    base: usize,
    /// What this region is, for "unexpected end of …" messages.
    region: &'static str,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8], region: &'static str) -> Self {
        Reader { bytes, pos: 0, base: 0, region }
    }

    /// The absolute file offset of the next byte.
    pub fn offset(&self) -> usize {
        // Cannot overflow: `base + bytes.len()` is at most the file's length.
        self.base + self.pos
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> DecodeError {
        DecodeError::new(offset, message)
    }

    pub fn end_error(&self, what: &str, needed: usize) -> DecodeError {
        self.error(
            self.offset(),
            format!(
                "unexpected end of {}: {what} needs {} but {} remain",
                self.region,
                n_bytes(needed),
                self.remaining()
            ),
        )
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], DecodeError> {
        let end = match self.pos.checked_add(n) {
            Some(end) if end <= self.bytes.len() => end,
            _ => return Err(self.end_error(what, n)),
        };
        let slice = self.bytes.get(self.pos..end).ok_or_else(|| self.end_error(what, n))?;
        self.pos = end;
        Ok(slice)
    }

    pub fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], DecodeError> {
        let at = self.offset();
        let slice = self.take(N, what)?;
        <[u8; N]>::try_from(slice).map_err(|_| self.error(at, format!("internal: short read of {what}")))
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, DecodeError> {
        let [byte] = self.array::<1>(what)?;
        Ok(byte)
    }

    pub fn u32_le(&mut self, what: &str) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    /// A minimally encoded LEB128 value that fits in 32 bits.
    pub fn leb_u32(&mut self, what: &str) -> Result<u32, DecodeError> {
        let at = self.offset();
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        match leb128::read(rest, 32) {
            Ok((value, len)) => {
                self.pos += len; // `len <= rest.len()`
                u32::try_from(value)
                    .map_err(|_| self.error(at, format!("{what}: LEB128 value does not fit in 32 bits")))
            }
            Err(LebError::Truncated) => Err(self.error(
                at,
                format!(
                    "unexpected end of {}: {what} (LEB128) is cut off after {}",
                    self.region,
                    n_bytes(rest.len())
                ),
            )),
            Err(LebError::Overlong) => Err(self.error(
                at,
                format!("{what}: overlong LEB128 encoding (not the shortest form; it ends in a zero byte)"),
            )),
            Err(LebError::Overflow) => {
                Err(self.error(at, format!("{what}: LEB128 value does not fit in 32 bits")))
            }
        }
    }

    /// A LEB128 value used as a size or index in memory.
    pub fn leb_usize(&mut self, what: &str) -> Result<usize, DecodeError> {
        let at = self.offset();
        let value = self.leb_u32(what)?;
        usize::try_from(value).map_err(|_| self.error(at, format!("{what} {value} does not fit in memory")))
    }

    /// A count of items that each take at least `min_item_bytes` bytes, checked against
    /// `limit` and against the bytes left in this region, so that reserving room for the
    /// items can never be driven beyond a small multiple of the input's size.
    pub fn count(&mut self, what: &str, limit: usize, min_item_bytes: usize) -> Result<usize, DecodeError> {
        let at = self.offset();
        let n = self.leb_usize(what)?;
        if n > limit {
            return Err(self.error(at, format!("{what} {n} exceeds the limit of {limit}")));
        }
        let remaining = self.remaining();
        match n.checked_mul(min_item_bytes) {
            Some(needed) if needed <= remaining => Ok(n),
            _ => Err(self.error(
                at,
                format!(
                    "{what} {n} cannot fit: it needs at least {} bytes but only {remaining} remain in the {}",
                    n.saturating_mul(min_item_bytes),
                    self.region
                ),
            )),
        }
    }

    /// A byte length followed by that many bytes, the length at most `limit`.
    pub fn bytes(&mut self, what: &str, limit: usize) -> Result<&'a [u8], DecodeError> {
        let at = self.offset();
        let len = self.leb_usize(what)?;
        if len > limit {
            return Err(self.error(at, format!("{what} length {len} exceeds the limit of {limit} bytes")));
        }
        if len > self.remaining() {
            return Err(self.error(
                at,
                format!(
                    "{what} length {len} runs past the end of the {} ({} remain)",
                    self.region,
                    n_bytes(self.remaining())
                ),
            ));
        }
        self.take(len, what)
    }

    /// A name: a byte length (at most [`limits::MAX_NAME_LEN`]) and that many bytes of
    /// UTF-8.
    pub fn name(&mut self, what: &str) -> Result<String, DecodeError> {
        let bytes = self.bytes(what, limits::MAX_NAME_LEN)?;
        let start = self.offset() - bytes.len();
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(e) => Err(self.error(
                start + e.valid_up_to(),
                format!("{what} is not valid UTF-8 (bad byte {} bytes into the name)", e.valid_up_to()),
            )),
        }
    }

    /// A presence byte: 0 (absent) or 1 (present); anything else is an error, so that
    /// each module has exactly one encoding.
    pub fn presence(&mut self, what: &str) -> Result<bool, DecodeError> {
        let at = self.offset();
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.error(at, format!("{what}: presence byte must be 0 or 1, found {other}"))),
        }
    }

    /// Splits off the next `len` bytes as a region of its own.
    pub fn sub(&mut self, len: usize, region: &'static str) -> Result<Reader<'a>, DecodeError> {
        let base = self.offset();
        let bytes = self.take(len, region)?;
        Ok(Reader { bytes, pos: 0, base, region })
    }

    /// Succeeds only if the region has been read to its end.
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            n => Err(self.error(
                self.offset(),
                format!(
                    "{} unused at the end of the {}: its declared length does not match its contents",
                    n_bytes(n),
                    self.region
                ),
            )),
        }
    }
}
