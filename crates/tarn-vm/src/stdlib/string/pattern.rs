//! Lua 5.4 patterns (reference manual §6.4.1) over bytes.
//!
//! A backtracking matcher written from the manual's description: single-character
//! classes (`.`, `%a`…, sets `[...]`), the quantifiers `* + - ?`, anchors, captures
//! (including position captures `()`), back-references `%1`–`%9`, `%b` and `%f`.
//! Classes use the C locale (ASCII) meaning.
//!
//! It is safe on hostile patterns in two ways:
//! - Rust recursion is bounded: each nested attempt (a capture, a `?`, the tail after a
//!   `*`/`+`/`-` expansion) takes one level, and past [`MAX_DEPTH`] levels matching
//!   fails with Lua's "pattern too complex" instead of growing the stack.
//! - Work is metered: every step (one pattern item tried at one position, one subject
//!   byte scanned by an expansion, `%b` or a back-reference; scans are counted in
//!   batches of 64) takes one unit from a caller-supplied budget;
//!   at zero the match stops with [`PatternError::OutOfSteps`], so the caller can turn
//!   steps into fuel and no pattern runs unmetered.
//!
//! Not here: the library functions (`find`, `gsub`, …) which live in `string/mod.rs`.

/// Nested matcher calls allowed before "pattern too complex" (Lua's own bound is 200).
pub const MAX_DEPTH: usize = 200;

/// Captures allowed in one pattern (Lua's `LUA_MAXCAPTURES`).
pub const MAX_CAPTURES: usize = 32;

/// The escape character of patterns.
const ESC: u8 = b'%';

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

/// The state of one capture while matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CapLen {
    /// Opened, not yet closed.
    Unfinished,
    /// A position capture `()`.
    Position,
    /// A closed capture of this many bytes.
    Len(usize),
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
    captures: Vec<(usize, CapLen)>,
}

impl Match {
    /// Number of captures the pattern made (0 when it has none).
    pub fn capture_count(&self) -> usize {
        self.captures.len()
    }

    /// Capture `i` (0-based). With no captures, capture 0 is the whole match, as Lua's
    /// `%0`/`%1` in replacements and the results of `match`/`gmatch` use it.
    pub fn capture(&self, i: usize) -> Result<Capture, PatternError> {
        match self.captures.get(i) {
            None if i == 0 => Ok(Capture::Str(self.start, self.end)),
            None => Err(PatternError::lua(format!("invalid capture index %{}", i + 1))),
            Some(&(_, CapLen::Unfinished)) => Err(PatternError::lua("unfinished capture")),
            Some(&(start, CapLen::Position)) => Ok(Capture::Position(start)),
            Some(&(start, CapLen::Len(len))) => Ok(Capture::Str(start, start + len)),
        }
    }

    /// The values `match` returns: every capture, or the whole match when there are none.
    pub fn values(&self) -> Result<Vec<Capture>, PatternError> {
        let n = self.captures.len().max(1);
        (0..n).map(|i| self.capture(i)).collect()
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
    let mut m = Matcher { src: subject, pat: pattern, depth: 0, captures: Vec::new(), budget };
    Ok(m.do_match(start, 0)?.map(|end| Match { start, end, captures: m.captures }))
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
    let mut start = init;
    loop {
        if let Some(m) = match_at(subject, pattern, start, budget)? {
            return Ok(Some(m));
        }
        start += 1;
        if anchored || start > subject.len() {
            return Ok(None);
        }
    }
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

/// Whether `c` belongs to the class letter `class` (`a`, `d`, … or their uppercase
/// complements); any other letter stands for itself.
pub fn class_matches(c: u8, class: u8) -> bool {
    let matched = match class.to_ascii_lowercase() {
        b'a' => c.is_ascii_alphabetic(),
        b'c' => c.is_ascii_control(),
        b'd' => c.is_ascii_digit(),
        b'g' => c.is_ascii_graphic(),
        b'l' => c.is_ascii_lowercase(),
        b'p' => c.is_ascii_punctuation(),
        // C's isspace: space, \t \n \v \f \r.
        b's' => c == b' ' || (9..=13).contains(&c),
        b'u' => c.is_ascii_uppercase(),
        b'w' => c.is_ascii_alphanumeric(),
        b'x' => c.is_ascii_hexdigit(),
        // Deprecated since 5.2 but still accepted by Lua 5.4: the NUL byte.
        b'z' => c == 0,
        _ => return class == c,
    };
    if class.is_ascii_uppercase() {
        !matched
    } else {
        matched
    }
}

struct Matcher<'a> {
    src: &'a [u8],
    pat: &'a [u8],
    depth: usize,
    captures: Vec<(usize, CapLen)>,
    budget: &'a mut u64,
}

impl Matcher<'_> {
    fn step(&mut self, units: u64) -> Result<(), PatternError> {
        if *self.budget < units {
            *self.budget = 0;
            return Err(PatternError::OutOfSteps);
        }
        *self.budget -= units;
        Ok(())
    }

    /// Pattern byte at `p`, or 0 past the end (the C convention the grammar assumes:
    /// no pattern item starts with NUL, so 0 never matches a special meaning).
    fn pat_at(&self, p: usize) -> u8 {
        self.pat.get(p).copied().unwrap_or(0)
    }

    /// One past the single-character class starting at `p`.
    fn class_end(&self, mut p: usize) -> Result<usize, PatternError> {
        let c = self.pat_at(p);
        p += 1;
        if c == ESC {
            if p >= self.pat.len() {
                return Err(PatternError::lua("malformed pattern (ends with '%')"));
            }
            return Ok(p + 1);
        }
        if c == b'[' {
            if self.pat_at(p) == b'^' {
                p += 1;
            }
            // The first character of a set is never its end, so `[]]` is a set of `]`.
            loop {
                if p >= self.pat.len() {
                    return Err(PatternError::lua("malformed pattern (missing ']')"));
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
        Ok(p)
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
            let pc = self.pat[p];
            if pc == ESC {
                p += 1;
                if class_matches(c, self.pat_at(p)) {
                    return inside;
                }
                p += 1;
            } else if self.pat_at(p + 1) == b'-' && p + 2 < end {
                if pc <= c && c <= self.pat[p + 2] {
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

    /// Whether subject byte `s` exists and matches the class at `p..ep`.
    fn single_match(&self, s: usize, p: usize, ep: usize) -> bool {
        let Some(&c) = self.src.get(s) else { return false };
        match self.pat[p] {
            b'.' => true,
            ESC => class_matches(c, self.pat_at(p + 1)),
            b'[' => self.set_matches(c, p, ep - 1),
            pc => pc == c,
        }
    }

    /// Matches the pattern from `p` against the subject from `s`; returns the end of the
    /// match. Each call is one level of Rust recursion, bounded by [`MAX_DEPTH`].
    fn do_match(&mut self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if self.depth >= MAX_DEPTH {
            return Err(PatternError::lua("pattern too complex"));
        }
        self.depth += 1;
        let result = self.match_loop(s, p);
        self.depth -= 1;
        result
    }

    fn match_loop(&mut self, mut s: usize, mut p: usize) -> Result<Option<usize>, PatternError> {
        loop {
            self.step(1)?;
            if p >= self.pat.len() {
                return Ok(Some(s));
            }
            match self.pat[p] {
                b'(' => {
                    return if self.pat_at(p + 1) == b')' {
                        self.start_capture(s, p + 2, CapLen::Position)
                    } else {
                        self.start_capture(s, p + 1, CapLen::Unfinished)
                    };
                }
                b')' => return self.end_capture(s, p + 1),
                b'$' if p + 1 == self.pat.len() => {
                    return Ok(if s == self.src.len() { Some(s) } else { None });
                }
                ESC if self.pat_at(p + 1) == b'b' => match self.match_balance(s, p + 2)? {
                    Some(next) => {
                        s = next;
                        p += 4;
                        continue;
                    }
                    None => return Ok(None),
                },
                ESC if self.pat_at(p + 1) == b'f' => {
                    p += 2;
                    if self.pat_at(p) != b'[' {
                        return Err(PatternError::lua("missing '[' after '%f' in pattern"));
                    }
                    let ep = self.class_end(p)?;
                    let prev = if s == 0 { 0 } else { self.src.get(s - 1).copied().unwrap_or(0) };
                    let cur = self.src.get(s).copied().unwrap_or(0);
                    if !self.set_matches(prev, p, ep - 1) && self.set_matches(cur, p, ep - 1) {
                        p = ep;
                        continue;
                    }
                    return Ok(None);
                }
                ESC if self.pat_at(p + 1).is_ascii_digit() => {
                    match self.match_backref(s, self.pat_at(p + 1))? {
                        Some(next) => {
                            s = next;
                            p += 2;
                            continue;
                        }
                        None => return Ok(None),
                    }
                }
                _ => {
                    let ep = self.class_end(p)?;
                    let quantifier = self.pat_at(ep);
                    if !self.single_match(s, p, ep) {
                        if matches!(quantifier, b'*' | b'?' | b'-') {
                            // Zero repetitions are allowed: skip the item.
                            p = ep + 1;
                            continue;
                        }
                        return Ok(None);
                    }
                    match quantifier {
                        b'?' => {
                            if let Some(end) = self.do_match(s + 1, ep + 1)? {
                                return Ok(Some(end));
                            }
                            p = ep + 1;
                        }
                        b'+' => return self.max_expand(s + 1, p, ep),
                        b'*' => return self.max_expand(s, p, ep),
                        b'-' => return self.min_expand(s, p, ep),
                        _ => {
                            s += 1;
                            p = ep;
                        }
                    }
                }
            }
        }
    }

    /// Greedy repetition: take as many as possible, then back off one at a time.
    fn max_expand(&mut self, s: usize, p: usize, ep: usize) -> Result<Option<usize>, PatternError> {
        let mut count = 0;
        while self.single_match(s + count, p, ep) {
            count += 1;
            if count % 64 == 0 {
                self.step(64)?;
            }
        }
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
    fn min_expand(&mut self, mut s: usize, p: usize, ep: usize) -> Result<Option<usize>, PatternError> {
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

    fn start_capture(&mut self, s: usize, p: usize, what: CapLen) -> Result<Option<usize>, PatternError> {
        if self.captures.len() >= MAX_CAPTURES {
            return Err(PatternError::lua("too many captures"));
        }
        self.captures.push((s, what));
        let result = self.do_match(s, p)?;
        if result.is_none() {
            self.captures.pop();
        }
        Ok(result)
    }

    fn end_capture(&mut self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        let Some(open) = self.captures.iter().rposition(|&(_, len)| len == CapLen::Unfinished) else {
            return Err(PatternError::lua("invalid pattern capture"));
        };
        let start = self.captures[open].0;
        self.captures[open].1 = CapLen::Len(s - start);
        let result = self.do_match(s, p)?;
        if result.is_none() {
            self.captures[open].1 = CapLen::Unfinished;
        }
        Ok(result)
    }

    /// `%bxy` at pattern offset `p` (pointing at `x`).
    fn match_balance(&mut self, s: usize, p: usize) -> Result<Option<usize>, PatternError> {
        if p + 1 >= self.pat.len() {
            return Err(PatternError::lua("malformed pattern (missing arguments to '%b')"));
        }
        let (open, close) = (self.pat[p], self.pat[p + 1]);
        if self.src.get(s) != Some(&open) {
            return Ok(None);
        }
        let mut depth = 1usize;
        for (i, &c) in self.src.iter().enumerate().skip(s + 1) {
            if (i - s) % 64 == 0 {
                self.step(64)?;
            }
            if c == close {
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            } else if c == open {
                depth += 1;
            }
        }
        Ok(None)
    }

    /// `%1`–`%9`: the same bytes as an earlier, closed capture.
    fn match_backref(&mut self, s: usize, digit: u8) -> Result<Option<usize>, PatternError> {
        let index = usize::from(digit - b'0');
        let capture = index.checked_sub(1).and_then(|i| self.captures.get(i)).copied();
        let (start, len) = match capture {
            Some((start, CapLen::Len(len))) => (start, len),
            // A position capture has no bytes to repeat: it never matches (as in Lua).
            Some((_, CapLen::Position)) => return Ok(None),
            _ => return Err(PatternError::lua(format!("invalid capture index %{index} in pattern"))),
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
    }
}
