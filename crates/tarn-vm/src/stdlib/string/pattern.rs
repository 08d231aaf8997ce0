//! Lua 5.4 patterns (reference manual §6.4.1) over bytes.
//!
//! A backtracking matcher written from the manual's description: single-character
//! classes (`.`, `%a`…, sets `[...]`), the quantifiers `* + - ?`, anchors, captures
//! (including position captures `()`), back-references `%1`–`%9`, `%b` and `%f`.
//! Classes use the C locale (ASCII) meaning, read from two 256-entry tables.
//!
//! It is safe on hostile patterns in two ways:
//! - Rust recursion is bounded: each nested attempt (a capture, a `?`, the tail after a
//!   `*`/`+`/`-` expansion) takes one level, and past [`MAX_DEPTH`] levels matching
//!   fails with Lua's "pattern too complex" instead of growing the stack.
//! - Work is metered: every step (one pattern item tried at one position, one subject
//!   byte scanned by an expansion, `%b`, a back-reference or the search for a start;
//!   scans are counted in batches of 64) takes one unit from a caller-supplied budget;
//!   at zero the match stops with [`PatternError::OutOfSteps`], so the caller can turn
//!   steps into fuel and no pattern runs unmetered.
//!
//! Speed: a [`Matcher`] is made once per search and reused for every start position;
//! captures live in a fixed array (no allocation per match); failures inside the
//! recursion are a zero-sized [`Abort`] with the reason kept in the matcher, so each
//! level returns in registers; expansions (`*`, `+`) and the search for a start
//! position scan with the class decided once, not per byte.
//!
//! Not here: the library functions (`find`, `gsub`, …) which live in `string/mod.rs`.

/// Nested matcher calls allowed before "pattern too complex" (Lua's own bound is 200).
pub const MAX_DEPTH: usize = 200;

/// Captures allowed in one pattern (Lua's `LUA_MAXCAPTURES`).
pub const MAX_CAPTURES: usize = 32;

/// The escape character of patterns.
const ESC: u8 = b'%';

/// Capture lengths that are not lengths: opened but not closed, and `()`.
const CAP_UNFINISHED: usize = usize::MAX;
const CAP_POSITION: usize = usize::MAX - 1;

/// Why a match could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// A Lua error with this message (malformed pattern, bad capture index, …).
    Lua(String),
    /// The step budget ran out.
    OutOfSteps,
}

impl PatternError {
    fn lua(message: impl Into<String>) -> PatternError {
        PatternError::Lua(message.into())
    }
}

/// One resolved capture value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// The subject bytes `start..end`.
    Str(usize, usize),
    /// A position capture: the 0-based offset (Lua reports it 1-based).
    Position(usize),
}

/// A successful match of a pattern at one subject position.
#[derive(Debug, Clone)]
pub struct Match {
    /// Subject offset where the match starts.
    pub start: usize,
    /// Subject offset one past the match's end.
    pub end: usize,
    level: usize,
    /// `(start, length)` of the first captures, the length possibly [`CAP_UNFINISHED`]
    /// or [`CAP_POSITION`]; the rest, for patterns with more, in `more`. A match is
    /// copied out through a few layers, so it is kept small for the common case.
    first: [(usize, usize); INLINE_CAPTURES],
    more: Vec<(usize, usize)>,
}

/// Captures a [`Match`] holds without allocating.
const INLINE_CAPTURES: usize = 4;

impl Match {
    /// Number of captures the pattern made (0 when it has none).
    pub fn capture_count(&self) -> usize {
        self.level
    }

    /// Number of values `match` and `gmatch` produce: the captures, or the whole match.
    pub fn value_count(&self) -> usize {
        self.level.max(1)
    }

    /// Capture `i` (0-based). With no captures, capture 0 is the whole match, as Lua's
    /// `%0`/`%1` in replacements and the results of `match`/`gmatch` use it.
    pub fn capture(&self, i: usize) -> Result<Capture, PatternError> {
        if i >= self.level {
            return if i == 0 {
                Ok(Capture::Str(self.start, self.end))
            } else {
                Err(PatternError::lua(format!("invalid capture index %{}", i + 1)))
            };
        }
        let capture = match self.first.get(i) {
            Some(&capture) => capture,
            None => self.more[i - INLINE_CAPTURES],
        };
        match capture {
            (_, CAP_UNFINISHED) => Err(PatternError::lua("unfinished capture")),
            (start, CAP_POSITION) => Ok(Capture::Position(start)),
            (start, len) => Ok(Capture::Str(start, start + len)),
        }
    }
}

/// Splits a leading `^` off a pattern: `(anchored, rest)`.
pub fn split_anchor(pattern: &[u8]) -> (bool, &[u8]) {
    match pattern.split_first() {
        Some((b'^', rest)) => (true, rest),
        _ => (false, pattern),
    }
}

/// Tries to match `pattern` (without a leading `^`: see [`split_anchor`]) at exactly
/// subject offset `start`. `budget` is decremented by the work done.
pub fn match_at(
    subject: &[u8],
    pattern: &[u8],
    start: usize,
    budget: &mut u64,
) -> Result<Option<Match>, PatternError> {
    search(subject, pattern, start, true, None, budget)
}

/// Finds the first match of `pattern` (which may start with `^`) starting at or after
/// offset `init`.
pub fn find(
    subject: &[u8],
    pattern: &[u8],
    init: usize,
    budget: &mut u64,
) -> Result<Option<Match>, PatternError> {
    let (anchored, pattern) = split_anchor(pattern);
    search(subject, pattern, init, anchored, None, budget)
}

/// The first match of `pattern` (without its `^`: see [`split_anchor`]) starting at
/// offset `from` or, unless `anchored`, after it, skipping matches that end at
/// `last_match` (how `gsub` and `gmatch` step over an empty match where the previous
/// one ended).
pub fn search(
    subject: &[u8],
    pattern: &[u8],
    from: usize,
    anchored: bool,
    last_match: Option<usize>,
    budget: &mut u64,
) -> Result<Option<Match>, PatternError> {
    let mut m = Matcher::new(subject, pattern, *budget);
    let result = m.search(from, anchored, last_match);
    *budget = m.budget;
    result
}

/// Plain substring search (`find` with no specials or `plain`) from offset `init`,
/// metered like matching: one step per candidate position and per byte compared,
/// so a long needle that almost matches everywhere cannot run unmetered.
pub fn find_plain(
    haystack: &[u8],
    needle: &[u8],
    init: usize,
    budget: &mut u64,
) -> Result<Option<usize>, PatternError> {
    if needle.is_empty() {
        return Ok(Some(init));
    }
    let Some(last) = haystack.len().checked_sub(needle.len()) else { return Ok(None) };
    let mut pos = init;
    while pos <= last {
        // Skip to the next occurrence of the first byte (cheap, but still metered).
        let Some(offset) = haystack[pos..=last].iter().position(|&b| b == needle[0]) else {
            let scanned = (last + 1 - pos) as u64;
            *budget = budget.saturating_sub(scanned);
            return Ok(None);
        };
        pos += offset;
        let compared = haystack[pos..].iter().zip(needle).take_while(|(a, b)| a == b).count();
        let cost = 1 + (offset + compared) as u64;
        if *budget < cost {
            *budget = 0;
            return Err(PatternError::OutOfSteps);
        }
        *budget -= cost;
        if compared == needle.len() {
            return Ok(Some(pos));
        }
        pos += 1;
    }
    Ok(None)
}

// Character-class bits, one per class letter.
const ALPHA: u16 = 1 << 0;
const CNTRL: u16 = 1 << 1;
const DIGIT: u16 = 1 << 2;
const GRAPH: u16 = 1 << 3;
const LOWER: u16 = 1 << 4;
const PUNCT: u16 = 1 << 5;
const SPACE: u16 = 1 << 6;
const UPPER: u16 = 1 << 7;
const ALNUM: u16 = 1 << 8;
const XDIGIT: u16 = 1 << 9;
const NUL: u16 = 1 << 10;
/// In [`CLASS`]: the class is the complement (an uppercase class letter).
const NEGATE: u16 = 1 << 15;

/// The class bits of each byte (C locale).
static CTYPE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let mut bits = 0;
        if c.is_ascii_alphabetic() {
            bits |= ALPHA;
        }
        if c.is_ascii_control() {
            bits |= CNTRL;
        }
        if c.is_ascii_digit() {
            bits |= DIGIT;
        }
        if c.is_ascii_graphic() {
            bits |= GRAPH;
        }
        if c.is_ascii_lowercase() {
            bits |= LOWER;
        }
        if c.is_ascii_punctuation() {
            bits |= PUNCT;
        }
        // C's isspace: space, \t \n \v \f \r.
        if c == b' ' || (c >= 9 && c <= 13) {
            bits |= SPACE;
        }
        if c.is_ascii_uppercase() {
            bits |= UPPER;
        }
        if c.is_ascii_alphanumeric() {
            bits |= ALNUM;
        }
        if c.is_ascii_hexdigit() {
            bits |= XDIGIT;
        }
        if c == 0 {
            bits |= NUL;
        }
        table[i] = bits;
        i += 1;
    }
    table
};

/// For each class letter after `%`, its bit (with [`NEGATE`] for the uppercase
/// complements); 0 for a byte that stands for itself.
static CLASS: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        let bits = match c.to_ascii_lowercase() {
            b'a' => ALPHA,
            b'c' => CNTRL,
            b'd' => DIGIT,
            b'g' => GRAPH,
            b'l' => LOWER,
            b'p' => PUNCT,
            b's' => SPACE,
            b'u' => UPPER,
            b'w' => ALNUM,
            b'x' => XDIGIT,
            // Deprecated since 5.2 but still accepted by Lua 5.4: the NUL byte.
            b'z' => NUL,
            _ => 0,
        };
        table[i] = if bits != 0 && c.is_ascii_uppercase() { bits | NEGATE } else { bits };
        i += 1;
    }
    table
};

/// Whether `c` is in the class whose [`CLASS`] entry is `bits` (non-zero).
#[inline(always)]
fn in_class(c: u8, bits: u16) -> bool {
    (CTYPE[usize::from(c)] & bits != 0) != (bits & NEGATE != 0)
}

/// Whether `c` belongs to the class letter `class` (`a`, `d`, … or their uppercase
/// complements); any other letter stands for itself.
#[inline]
pub fn class_matches(c: u8, class: u8) -> bool {
    match CLASS[usize::from(class)] {
        0 => c == class,
        bits => in_class(c, bits),
    }
}

/// A failed match whose reason ([`Matcher::error`]) is kept in the matcher: zero-sized,
/// so every level of the recursion returns its `Result` in registers.
struct Abort;

/// What each level of the matcher returns: the end of a match, none, or a failure.
type Step = Result<Option<usize>, Abort>;

/// The state of one search: the subject, the pattern (without its `^`), the captures of
/// the attempt in progress and the step budget left.
pub struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    depth: usize,
    level: usize,
    captures: [(usize, usize); MAX_CAPTURES],
    budget: u64,
    error: Option<PatternError>,
}

impl<'a> Matcher<'a> {
    pub fn new(subject: &'a [u8], pattern: &'a [u8], budget: u64) -> Matcher<'a> {
        Matcher {
            src: subject,
            pat: pattern,
            depth: 0,
            level: 0,
            captures: [(0, 0); MAX_CAPTURES],
            budget,
            error: None,
        }
    }

    /// Steps left.
    pub fn budget(&self) -> u64 {
        self.budget
    }

    /// See the free function [`search`].
    pub fn search(
        &mut self,
        from: usize,
        anchored: bool,
        last_match: Option<usize>,
    ) -> Result<Option<Match>, PatternError> {
        let first = if anchored { None } else { self.first_item() };
        let mut pos = from;
        while pos <= self.src.len() {
            if let Some((p, ep)) = first {
                // No match can start where the first item fails: skip those positions,
                // paying one step each as the attempts would.
                let skipped = self.run_length(pos, p, ep, false);
                self.step(skipped as u64).map_err(|Abort| self.take_error())?;
                pos += skipped;
                if pos >= self.src.len() {
                    // The first item needs a byte: nothing can match from here.
                    return Ok(None);
                }
            }
            self.level = 0;
            match self.do_match(pos, 0) {
                Ok(Some(end)) if Some(end) != last_match => {
                    return Ok(Some(self.make_match(pos, end)));
                }
                Ok(_) => {}
                Err(Abort) => return Err(self.take_error()),
            }
            if anchored {
                break;
            }
            pos += 1;
        }
        Ok(None)
    }

    fn make_match(&self, start: usize, end: usize) -> Match {
        let mut first = [(0, 0); INLINE_CAPTURES];
        let n = self.level.min(INLINE_CAPTURES);
        first[..n].copy_from_slice(&self.captures[..n]);
        let more = self.captures[n..self.level].to_vec();
        Match { start, end, level: self.level, first, more }
    }

    fn take_error(&mut self) -> PatternError {
        self.error.take().unwrap_or(PatternError::OutOfSteps)
    }

    /// The first item of the pattern when every match must start with one byte of its
    /// class: a single-character class without a quantifier that allows zero, after
    /// any opening captures. `None` when there is no such item or the pattern is
    /// malformed there (the attempt itself then reports it).
    fn first_item(&self) -> Option<(usize, usize)> {
        let mut p = 0;
        // Opening captures consume nothing; more than Lua allows must fail in the attempt.
        for _ in 0..MAX_CAPTURES {
            if self.pat_at(p) != b'(' {
                break;
            }
            p += if self.pat_at(p + 1) == b')' { 2 } else { 1 };
        }
        match self.pat_at(p) {
            b'(' | b')' => return None,
            b'$' if p + 1 == self.pat.len() => return None,
            ESC if matches!(self.pat_at(p + 1), b'b' | b'f' | b'0'..=b'9') => return None,
            _ if p >= self.pat.len() => return None,
            _ => {}
        }
        let ep = self.class_end(p).ok()?;
        if matches!(self.pat_at(ep), b'*' | b'?' | b'-') {
            return None;
        }
        Some((p, ep))
    }

    #[inline(always)]
    fn step(&mut self, units: u64) -> Result<(), Abort> {
        if self.budget < units {
            return Err(self.out_of_steps());
        }
        self.budget -= units;
        Ok(())
    }

    #[cold]
    fn out_of_steps(&mut self) -> Abort {
        self.budget = 0;
        self.error = Some(PatternError::OutOfSteps);
        Abort
    }

    #[cold]
    fn fail(&mut self, message: impl Into<String>) -> Abort {
        self.error = Some(PatternError::lua(message));
        Abort
    }

    /// Pattern byte at `p`, or 0 past the end (the C convention the grammar assumes:
    /// no pattern item starts with NUL, so 0 never matches a special meaning).
    #[inline(always)]
    fn pat_at(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    /// One past the single-character class starting at `p` (which is in the pattern),
    /// or Lua's message for a malformed one.
    #[inline(always)]
    fn class_end(&self, p: usize) -> Result<usize, &'static str> {
        match self.pat_at(p) {
            ESC if p + 1 < self.pat.len() => Ok(p + 2),
            ESC => Err("malformed pattern (ends with '%')"),
            b'[' => self.set_end(p + 1),
            _ => Ok(p + 1),
        }
    }

    /// One past the `]` of the set whose body starts at `p`.
    fn set_end(&self, mut p: usize) -> Result<usize, &'static str> {
        if self.pat_at(p) == b'^' {
            p += 1;
        }
        // The first character of a set is never its end, so `[]]` is a set of `]`.
        loop {
            if p >= self.pat.len() {
                return Err("malformed pattern (missing ']')");
            }
            let c = self.pat[p];
            p += 1;
            if c == ESC && p < self.pat.len() {
                p += 1;
            }
            if self.pat_at(p) == b']' {
                return Ok(p + 1);
            }
        }
    }

    /// Whether `c` is in the set `[...]` spanning `p` (the `[`) to `end` (the `]`).
    fn set_matches(&self, c: u8, mut p: usize, end: usize) -> bool {
        let mut inside = true;
        p += 1;
        if self.pat_at(p) == b'^' {
            inside = false;
            p += 1;
        }
        while p < end {
            let pc = self.pat_at(p);
            if pc == ESC {
                p += 1;
                if class_matches(c, self.pat_at(p)) {
                    return inside;
                }
                p += 1;
            } else if self.pat_at(p + 1) == b'-' && p + 2 < end {
                if pc <= c && c <= self.pat_at(p + 2) {
                    return inside;
                }
                p += 3;
            } else {
                if pc == c {
                    return inside;
                }
                p += 1;
            }
        }
        !inside
    }

    /// Whether `c` matches the class at `p..ep`.
    #[inline(always)]
    fn class_test(&self, c: u8, p: usize, ep: usize) -> bool {
        match self.pat_at(p) {
            b'.' => true,
            ESC => class_matches(c, self.pat_at(p + 1)),
            b'[' => self.set_matches(c, p, ep - 1),
            pc => pc == c,
        }
    }

    /// Whether subject byte `s` exists and matches the class at `p..ep`.
    #[inline(always)]
    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        match self.src.get(s) {
            Some(&c) => self.class_test(c, p, ep),
            None => false,
        }
    }

    /// How many subject bytes from `s` on are (`member`) or are not in the class at
    /// `p..ep`, with the kind of class decided once rather than per byte.
    fn run_length(&self, s: usize, p: usize, ep: usize, member: bool) -> usize {
        fn run(rest: &[u8], member: bool, test: impl Fn(u8) -> bool) -> usize {
            rest.iter().position(|&c| test(c) != member).unwrap_or(rest.len())
        }
        let rest = self.src.get(s..).unwrap_or_default();
        match self.pat_at(p) {
            b'.' if member => rest.len(),
            b'.' => 0,
            ESC => {
                let class = self.pat_at(p + 1);
                match CLASS[usize::from(class)] {
                    0 => run(rest, member, |c| c == class),
                    bits => run(rest, member, |c| in_class(c, bits)),
                }
            }
            b'[' => run(rest, member, |c| self.set_matches(c, p, ep - 1)),
            lit => run(rest, member, |c| c == lit),
        }
    }

    /// Matches the pattern from `p` against the subject from `s`; returns the end of the
    /// match. Each call is one level of Rust recursion, bounded by [`MAX_DEPTH`].
    fn do_match(&mut self, s: usize, p: usize) -> Step {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail("pattern too complex"));
        }
        self.depth += 1;
        let result = self.match_loop(s, p);
        self.depth -= 1;
        result
    }

    fn match_loop(&mut self, mut s: usize, mut p: usize) -> Step {
        loop {
            self.step(1)?;
            let Some(&pc) = self.pat.get(p) else { return Ok(Some(s)) };
            match pc {
                b'(' => {
                    return if self.pat_at(p + 1) == b')' {
                        self.start_capture(s, p + 2, CAP_POSITION)
                    } else {
                        self.start_capture(s, p + 1, CAP_UNFINISHED)
                    };
                }
                b')' => return self.end_capture(s, p + 1),
                b'$' if p + 1 == self.pat.len() => {
                    return Ok(if s == self.src.len() { Some(s) } else { None });
                }
                ESC => match self.pat_at(p + 1) {
                    b'b' => match self.match_balance(s, p + 2)? {
                        Some(next) => {
                            s = next;
                            p += 4;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    b'f' => {
                        p += 2;
                        if self.pat_at(p) != b'[' {
                            return Err(self.fail("missing '[' after '%f' in pattern"));
                        }
                        let ep = self.set_end(p + 1).map_err(|m| self.fail(m))?;
                        let prev = if s == 0 { 0 } else { self.src.get(s - 1).copied().unwrap_or(0) };
                        let cur = self.src.get(s).copied().unwrap_or(0);
                        if !self.set_matches(prev, p, ep - 1) && self.set_matches(cur, p, ep - 1) {
                            p = ep;
                            continue;
                        }
                        return Ok(None);
                    }
                    digit @ b'0'..=b'9' => match self.match_backref(s, digit)? {
                        Some(next) => {
                            s = next;
                            p += 2;
                            continue;
                        }
                        None => return Ok(None),
                    },
                    _ => {}
                },
                _ => {}
            }
            // A single-character class, perhaps with a quantifier.
            let ep = self.class_end(p).map_err(|m| self.fail(m))?;
            let matched = self.single_match(s, p, ep);
            match self.pat_at(ep) {
                b'?' => {
                    if matched {
                        if let Some(end) = self.do_match(s + 1, ep + 1)? {
                            return Ok(Some(end));
                        }
                    }
                    p = ep + 1;
                }
                b'+' => return if matched { self.max_expand(s + 1, p, ep) } else { Ok(None) },
                // Zero repetitions of `*` and `-` go on without a new level.
                b'*' if matched => return self.max_expand(s, p, ep),
                b'-' if matched => return self.min_expand(s, p, ep),
                b'*' | b'-' => p = ep + 1,
                _ => {
                    if !matched {
                        return Ok(None);
                    }
                    s += 1;
                    p = ep;
                }
            }
        }
    }

    /// Greedy repetition: take as many as possible, then back off one at a time.
    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Step {
        let mut count = self.run_length(s, p, ep, true);
        // The scan is paid for in batches of 64 bytes.
        self.step(count as u64 & !63)?;
        loop {
            if let Some(end) = self.do_match(s + count, ep + 1)? {
                return Ok(Some(end));
            }
            if count == 0 {
                return Ok(None);
            }
            count -= 1;
        }
    }

    /// Lazy repetition: try the rest first, then take one more.
    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> Step {
        loop {
            if let Some(end) = self.do_match(s, ep + 1)? {
                return Ok(Some(end));
            }
            if self.single_match(s, p, ep) {
                s += 1;
            } else {
                return Ok(None);
            }
        }
    }

    fn start_capture(&mut self, s: usize, p: usize, what: usize) -> Step {
        if self.level >= MAX_CAPTURES {
            return Err(self.fail("too many captures"));
        }
        self.captures[self.level] = (s, what);
        self.level += 1;
        let result = self.do_match(s, p)?;
        if result.is_none() {
            self.level -= 1;
        }
        Ok(result)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Step {
        let open = self.captures[..self.level].iter().rposition(|&(_, len)| len == CAP_UNFINISHED);
        let Some(open) = open else { return Err(self.fail("invalid pattern capture")) };
        self.captures[open].1 = s - self.captures[open].0;
        let result = self.do_match(s, p)?;
        if result.is_none() {
            self.captures[open].1 = CAP_UNFINISHED;
        }
        Ok(result)
    }

    /// `%bxy` at pattern offset `p` (pointing at `x`).
    fn match_balance(&mut self, s: usize, p: usize) -> Step {
        if p + 1 >= self.pat.len() {
            return Err(self.fail("malformed pattern (missing arguments to '%b')"));
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if self.src.get(s) != Some(&open) {
            return Ok(None);
        }
        let mut depth = 1usize;
        let mut end = None;
        let rest = self.src.get(s + 1..).unwrap_or_default();
        for (i, &c) in rest.iter().enumerate() {
            if c == close {
                depth -= 1;
                if depth == 0 {
                    end = Some(s + 2 + i);
                    break;
                }
            } else if c == open {
                depth += 1;
            }
        }
        // The scan is paid for in batches of 64 bytes.
        let scanned = end.map_or(rest.len(), |e| e - s - 1);
        self.step(scanned as u64 & !63)?;
        Ok(end)
    }

    /// `%1`–`%9`: the same bytes as an earlier, closed capture.
    fn match_backref(&mut self, s: usize, digit: u8) -> Step {
        let index = usize::from(digit - b'0');
        let capture = index.checked_sub(1).filter(|&i| i < self.level).map(|i| self.captures[i]);
        let (start, len) = match capture {
            // A position capture has no bytes to repeat: it never matches (as in Lua).
            Some((_, CAP_POSITION)) => return Ok(None),
            Some((start, len)) if len != CAP_UNFINISHED => (start, len),
            _ => return Err(self.fail(format!("invalid capture index %{index} in pattern"))),
        };
        self.step(1 + len as u64)?;
        let wanted = &self.src[start..start + len];
        match self.src.get(s..s + len) {
            Some(here) if here == wanted => Ok(Some(s + len)),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `string.find`-style result: 1-based start and end plus captures as text.
    fn find_str(subject: &str, pattern: &str) -> Result<Option<(usize, usize, Vec<String>)>, PatternError> {
        let mut budget = 1_000_000;
        let m = find(subject.as_bytes(), pattern.as_bytes(), 0, &mut budget)?;
        Ok(match m {
            None => None,
            Some(m) => {
                let mut caps = Vec::new();
                for i in 0..m.capture_count() {
                    caps.push(match m.capture(i)? {
                        Capture::Str(a, b) => subject[a..b].to_string(),
                        Capture::Position(p) => format!("@{}", p + 1),
                    });
                }
                Some((m.start + 1, m.end, caps))
            }
        })
    }

    fn span(subject: &str, pattern: &str) -> Option<(usize, usize)> {
        find_str(subject, pattern).expect("pattern is valid").map(|(a, b, _)| (a, b))
    }

    fn caps(subject: &str, pattern: &str) -> Vec<String> {
        find_str(subject, pattern).expect("valid").expect("matches").2
    }

    fn error(subject: &str, pattern: &str) -> String {
        match find_str(subject, pattern) {
            Err(PatternError::Lua(m)) => m,
            other => panic!("expected an error, got {other:?}"),
        }
    }

    // Expected values checked with lua5.4 (`string.find`).
    #[test]
    fn single_classes_and_quantifiers() {
        assert_eq!(span("hello world", "o w"), Some((5, 7)));
        assert_eq!(span("hello", "l+"), Some((3, 4)));
        assert_eq!(span("hello", "x*"), Some((1, 0)));
        assert_eq!(span("aaab", "a-b"), Some((1, 4)));
        assert_eq!(span("  x = 12;", "%a+%s*=%s*%d+"), Some((3, 8)));
        assert_eq!(span("abc", "^b"), None);
        assert_eq!(span("abc", "c$"), Some((3, 3)));
        assert_eq!(span("a$c", "$c"), Some((2, 3)));
        assert_eq!(span("a^c", "a^"), Some((1, 2)));
        assert_eq!(span("x\x0by", "%s"), Some((2, 2)));
        assert_eq!(span("abc123", "%D+$"), None);
        assert_eq!(span("abc123", "%W"), None);
        assert_eq!(span("ab?", "%p"), Some((3, 3)));
        assert_eq!(span("colour", "colou?r"), Some((1, 6)));
        assert_eq!(span("color", "colou?r"), Some((1, 5)));
        assert_eq!(span("a.b", "%."), Some((2, 2)));
    }

    #[test]
    fn sets() {
        assert_eq!(span("hello123", "[0-9]+"), Some((6, 8)));
        assert_eq!(span("hello123", "[^%a]+"), Some((6, 8)));
        assert_eq!(span("a]b", "[]]"), Some((2, 2)));
        assert_eq!(span("a-b", "[a-]+"), Some((1, 2)));
        assert_eq!(span("x^y", "[%^]"), Some((2, 2)));
        assert_eq!(span("x^y", "[y^]"), Some((2, 2)));
        assert_eq!(span("ABCdef", "[%l_]+"), Some((4, 6)));
        assert_eq!(span("]", "[^]]"), None);
    }

    #[test]
    fn captures_and_backrefs() {
        assert_eq!(caps("key = value", "(%w+)%s*=%s*(%w+)"), ["key", "value"]);
        assert_eq!(caps("hello", "()ll()"), ["@3", "@5"]);
        assert_eq!(caps("say \"hi\" ok", "([\"'])(.-)%1"), ["\"", "hi"]);
        assert_eq!(caps("abab", "((a)(b))"), ["ab", "a", "b"]);
        assert_eq!(span("xx", "()%1"), None);
    }

    #[test]
    fn balance_and_frontier() {
        assert_eq!(span("f(a(b)c) d", "%b()"), Some((2, 8)));
        assert_eq!(span("f(a(b c", "%b()"), None);
        assert_eq!(span("THE (quick) fox", "%f[%a]%a+"), Some((1, 3)));
        assert_eq!(span("THE (quick) fox", "%f[%l]%a+"), Some((6, 10)));
        assert_eq!(span("hello", "%f[%z]"), Some((6, 5)));
        assert_eq!(span("a\0b", "%z"), Some((2, 2)));
        assert_eq!(span("abc", "%f[\0]"), Some((4, 3)));
    }

    #[test]
    fn errors_use_luas_messages() {
        assert_eq!(error("abc", "a%"), "malformed pattern (ends with '%')");
        assert_eq!(error("abc", "[a"), "malformed pattern (missing ']')");
        assert_eq!(error("abc", "[a%"), "malformed pattern (missing ']')");
        assert_eq!(error("abc", "%ba"), "malformed pattern (missing arguments to '%b')");
        assert_eq!(error("abc", "%f"), "missing '[' after '%f' in pattern");
        assert_eq!(error("abc", "(a%1)"), "invalid capture index %1 in pattern");
        assert_eq!(error("abc", "%0"), "invalid capture index %0 in pattern");
        assert_eq!(error("abc", "(a"), "unfinished capture");
        assert_eq!(error("abc", "a)"), "invalid pattern capture");
        assert_eq!(error("aaa", &"(".repeat(40)), "too many captures");
    }

    #[test]
    fn hostile_patterns_stop() {
        // Deep `?` chains need one level each: "pattern too complex", not a stack overflow.
        let subject = "a".repeat(100_000);
        let pattern = format!("{}{}", "a?".repeat(100_000), "a".repeat(100_000));
        assert_eq!(error(&subject, &pattern), "pattern too complex");
        // Exponential backtracking within the depth bound runs out of steps.
        let subject = "a".repeat(40);
        let pattern = format!("{}{}b", "a?".repeat(40), "a".repeat(40));
        let mut budget = 100_000;
        let r = find(subject.as_bytes(), pattern.as_bytes(), 0, &mut budget);
        assert_eq!(r.map(|m| m.is_some()), Err(PatternError::OutOfSteps));
        assert_eq!(budget, 0);
        // Scanning a long subject costs steps proportional to its length.
        let subject = "(".repeat(1_000_000);
        let mut budget = 1_000;
        assert_eq!(find(subject.as_bytes(), b"%b()", 0, &mut budget).err(), Some(PatternError::OutOfSteps));
        // So does skipping start positions, and scanning an expansion.
        let subject = "a".repeat(1_000_000);
        for pattern in ["%d", "(b)", "[^a]+", "a*b", ".+b"] {
            let mut budget = 1_000;
            let r = find(subject.as_bytes(), pattern.as_bytes(), 0, &mut budget);
            assert_eq!(r.err(), Some(PatternError::OutOfSteps), "{pattern}");
        }
    }

    /// A match as comparable data: span and capture values.
    type Shape = (usize, usize, Vec<Result<Capture, PatternError>>);
    fn shape(m: Option<Match>) -> Option<Shape> {
        m.map(|m| (m.start, m.end, (0..m.capture_count()).map(|i| m.capture(i)).collect()))
    }

    #[test]
    fn skipping_start_positions_finds_what_trying_each_one_finds() {
        let subjects = ["ab12 cd345,,EF  6\0z", "", "((a)(b))", "aaa", "x=1, yy=22", "a]b%c"];
        let patterns = [
            "%d+",
            "(%d+)",
            "(()%u+)",
            "((%d)(%d))",
            "[,]+",
            "[^%a]+",
            "%s+()",
            "a",
            "%a%d",
            ".",
            "x=%d",
            "%z",
            "[%]]",
            "%%",
            "]",
            "(",
            "a[",
            "%",
            "()",
            "%d*",
            "a?",
            "b-",
            "$",
            "%f[%a]",
            "%b()",
            "(a)%1",
        ];
        for subject in subjects {
            for pattern in patterns {
                let (s, p) = (subject.as_bytes(), pattern.as_bytes());
                for from in 0..=s.len() {
                    let mut budget = 1_000_000;
                    let fast = search(s, p, from, false, None, &mut budget).map(shape);
                    let mut slow = Ok(None);
                    for at in from..=s.len() {
                        let mut budget = 1_000_000;
                        slow = search(s, p, at, true, None, &mut budget).map(shape);
                        if !matches!(slow, Ok(None)) {
                            break;
                        }
                    }
                    assert_eq!(fast, slow, "{subject:?} {pattern:?} from {from}");
                }
            }
        }
    }
}
