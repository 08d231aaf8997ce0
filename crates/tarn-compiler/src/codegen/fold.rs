//! Compile-time constant folding of arithmetic and bitwise operators.
//!
//! Folding must never change what a program does, so it follows `lcode.c`'s
//! `constfolding` rules with one difference noted below:
//! - Only numbers fold: operations on strings (which coerce at run time, and may fail
//!   with a message) are left to the VM. Comparisons and `..` never fold.
//! - Nothing that raises folds: integer `//` and `%` by zero stay in the code, and (as
//!   in Lua) so does any `/`, `//` or `%` by a zero of either kind, and any bitwise
//!   operation on a float without an exact integer value.
//! - Integer `+ - *` wrap around, exactly as the VM computes them.
//! - A float result that is NaN does not fold (its sign and payload would depend on how
//!   the compiler's host computed it). Unlike Lua, a zero float result *does* fold:
//!   constants here are compared by bit pattern, so `-0.0` stays distinct from `0.0`
//!   (Lua refuses those folds only because its constant table would merge them).
//!
//! The arithmetic helpers repeat the VM's number semantics (`tarn-vm`'s `number`
//! module); the compiler does not depend on the VM.

use crate::ast::{BinOp, UnOp};

/// A numeric constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn to_float(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// The integer a bitwise operator sees, if the value has an exact integer value.
    fn to_bit_int(self) -> Option<i64> {
        match self {
            Num::Int(i) => Some(i),
            Num::Float(f) => float_to_int_exact(f),
        }
    }

    fn is_zero(self) -> bool {
        match self {
            Num::Int(i) => i == 0,
            Num::Float(f) => f == 0.0,
        }
    }
}

fn float_to_int_exact(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; every float in [-2^63, 2^63) without a fraction fits.
    if (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f) && f.fract() == 0.0 {
        Some(f as i64)
    } else {
        None
    }
}

fn int_idiv(a: i64, b: i64) -> i64 {
    if b == -1 {
        return a.wrapping_neg();
    }
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

fn int_mod(a: i64, b: i64) -> i64 {
    if b == -1 {
        return 0;
    }
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        r + b
    } else {
        r
    }
}

fn float_mod(a: f64, b: f64) -> f64 {
    let r = a % b;
    if r != 0.0 && ((r < 0.0) != (b < 0.0)) {
        r + b
    } else {
        r
    }
}

fn shift_left(x: i64, n: i64) -> i64 {
    if n <= -64 || n >= 64 {
        0
    } else if n >= 0 {
        ((x as u64) << n) as i64
    } else {
        ((x as u64) >> (-n)) as i64
    }
}

/// `a op b` for an arithmetic or bitwise `op`, if it can be folded.
pub(crate) fn binary(op: BinOp, a: Num, b: Num) -> Option<Num> {
    let result = match op {
        BinOp::BAnd | BinOp::BOr | BinOp::BXor | BinOp::Shl | BinOp::Shr => {
            let (x, y) = (a.to_bit_int()?, b.to_bit_int()?);
            Num::Int(match op {
                BinOp::BAnd => x & y,
                BinOp::BOr => x | y,
                BinOp::BXor => x ^ y,
                BinOp::Shl => shift_left(x, y),
                _ => shift_left(x, y.wrapping_neg()),
            })
        }
        BinOp::Div | BinOp::IDiv | BinOp::Mod if b.is_zero() => return None,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::IDiv | BinOp::Mod => match (a, b) {
            (Num::Int(x), Num::Int(y)) => Num::Int(match op {
                BinOp::Add => x.wrapping_add(y),
                BinOp::Sub => x.wrapping_sub(y),
                BinOp::Mul => x.wrapping_mul(y),
                BinOp::IDiv => int_idiv(x, y),
                _ => int_mod(x, y),
            }),
            _ => {
                let (x, y) = (a.to_float(), b.to_float());
                Num::Float(match op {
                    BinOp::Add => x + y,
                    BinOp::Sub => x - y,
                    BinOp::Mul => x * y,
                    BinOp::IDiv => (x / y).floor(),
                    _ => float_mod(x, y),
                })
            }
        },
        BinOp::Div => Num::Float(a.to_float() / b.to_float()),
        BinOp::Pow => Num::Float(a.to_float().powf(b.to_float())),
        BinOp::Concat
        | BinOp::Eq
        | BinOp::Ne
        | BinOp::Lt
        | BinOp::Le
        | BinOp::Gt
        | BinOp::Ge
        | BinOp::And
        | BinOp::Or => return None,
    };
    match result {
        Num::Float(f) if f.is_nan() => None,
        r => Some(r),
    }
}

/// `op a` for `-` or `~`, if it can be folded.
pub(crate) fn unary(op: UnOp, a: Num) -> Option<Num> {
    match op {
        UnOp::Neg => match a {
            Num::Int(i) => Some(Num::Int(i.wrapping_neg())),
            Num::Float(f) if f.is_nan() => None,
            Num::Float(f) => Some(Num::Float(-f)),
        },
        UnOp::BNot => Some(Num::Int(!a.to_bit_int()?)),
        UnOp::Not | UnOp::Len => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_follow_lua_semantics() {
        use Num::*;
        assert_eq!(binary(BinOp::Add, Int(i64::MAX), Int(1)), Some(Int(i64::MIN)));
        assert_eq!(binary(BinOp::IDiv, Int(7), Int(-2)), Some(Int(-4)));
        assert_eq!(binary(BinOp::Mod, Int(7), Int(-2)), Some(Int(-1)));
        assert_eq!(binary(BinOp::IDiv, Int(i64::MIN), Int(-1)), Some(Int(i64::MIN)));
        assert_eq!(binary(BinOp::Mod, Int(i64::MIN), Int(-1)), Some(Int(0)));
        assert_eq!(binary(BinOp::IDiv, Int(1), Int(0)), None);
        assert_eq!(binary(BinOp::Mod, Int(1), Int(0)), None);
        assert_eq!(binary(BinOp::Div, Int(1), Float(0.0)), None);
        assert_eq!(binary(BinOp::Div, Int(1), Int(2)), Some(Float(0.5)));
        assert_eq!(binary(BinOp::Pow, Int(2), Int(10)), Some(Float(1024.0)));
        assert_eq!(binary(BinOp::Mod, Float(-3.0), Int(2)), Some(Float(1.0)));
        assert_eq!(binary(BinOp::BOr, Float(1.0), Int(2)), Some(Int(3)));
        assert_eq!(binary(BinOp::BOr, Float(1.5), Int(2)), None);
        assert_eq!(binary(BinOp::Shl, Int(1), Int(64)), Some(Int(0)));
        assert_eq!(binary(BinOp::Shr, Int(-1), Int(63)), Some(Int(1)));
        assert_eq!(binary(BinOp::Shl, Int(4), Int(-1)), Some(Int(2)));
        assert_eq!(binary(BinOp::Sub, Float(f64::INFINITY), Float(f64::INFINITY)), None);
        assert_eq!(binary(BinOp::Concat, Int(1), Int(2)), None);
        match unary(UnOp::Neg, Float(0.0)) {
            Some(Float(f)) => assert!(f == 0.0 && f.is_sign_negative()),
            other => panic!("{other:?}"),
        }
        assert_eq!(unary(UnOp::Neg, Int(i64::MIN)), Some(Int(i64::MIN)));
        assert_eq!(unary(UnOp::BNot, Int(0)), Some(Int(-1)));
        assert_eq!(unary(UnOp::BNot, Float(0.5)), None);
    }
}
