//! The crate's one error type: small (one pointer) so `Result`s stay cheap, with a kind
//! per stage whose `Display` is the message a user reads.

use std::fmt;

use crate::binary::DecodeError;
use crate::text::AsmError;
use crate::verify::VerifyError;

/// What went wrong, by stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The bytes are not a well-formed `.tbc` module.
    Decode(DecodeError),
    /// The text is not well-formed `.tasm`.
    Asm(AsmError),
    /// The module is well-formed but unsafe or inconsistent.
    Verify(VerifyError),
}

/// An error from decoding, assembling or verifying a module.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

impl Error {
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error(Box::new(ErrorKind::Decode(e)))
    }
}
impl From<AsmError> for Error {
    fn from(e: AsmError) -> Self {
        Error(Box::new(ErrorKind::Asm(e)))
    }
}
impl From<VerifyError> for Error {
    fn from(e: VerifyError) -> Self {
        Error(Box::new(ErrorKind::Verify(e)))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Decode(e) => write!(f, "invalid module: {e}"),
            ErrorKind::Asm(e) => write!(f, "{e}"),
            ErrorKind::Verify(e) => write!(f, "verification failed: {e}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

const _: () = assert!(std::mem::size_of::<Error>() == std::mem::size_of::<usize>());
