//! `EXPOSE` port specs read the way BuildKit reads them (`[[ip:]host:]port[-end][/proto]`),
//! with the source span of each part, for the EXPOSE rules.

use std::ops::Range;

use super::Context;
use crate::dockerfile::ast::{Arg, Instruction, Keyword, Span};
use crate::dockerfile::expand::Lexer;

/// One port spec of an `EXPOSE`, variables expanded. Ranges index [`PortSpec::text`].
pub(crate) struct PortSpec<'a> {
    pub instruction: &'a Instruction,
    pub arg: &'a Arg,
    /// The spec as the builder sees it.
    pub text: String,
    /// Where `text` starts in the argument as written; `None` when expansion changed the text,
    /// so that its parts no longer have columns of their own.
    offset: Option<usize>,
    /// Everything before the host port: an IP address (`[::1]` for IPv6).
    pub ip: Option<Range<usize>>,
    pub host: Option<Range<usize>>,
    /// The container port or range.
    pub port: Range<usize>,
    /// After the `/`, when not empty.
    pub proto: Option<Range<usize>>,
}

impl PortSpec<'_> {
    pub fn part(&self, range: &Range<usize>) -> &str {
        &self.text[range.clone()]
    }

    /// The source span of a part; the whole argument when the spec came from a variable.
    pub fn span(&self, range: Range<usize>) -> Span {
        match self.offset {
            Some(offset) => {
                let start = self.arg.logical.start + offset;
                self.instruction
                    .line
                    .span(start + range.start..start + range.end)
            }
            None => self.arg.span,
        }
    }

    /// The protocol in lower case, `tcp` when none is given.
    pub fn protocol(&self) -> String {
        self.proto
            .as_ref()
            .map_or_else(|| "tcp".to_owned(), |p| self.part(p).to_ascii_lowercase())
    }
}

/// Why a port or range cannot be read, with the range of the offending text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PortProblem {
    /// Not digits, or a range with other than two ends.
    Malformed(Range<usize>),
    /// A number above 65535.
    OutOfRange(Range<usize>),
    /// A range that ends before it starts.
    Reversed(Range<usize>),
}

/// Every port spec of every `EXPOSE` (`ONBUILD` ones included) whose value is known.
pub(crate) fn port_specs<'a>(ctx: &Context<'a>) -> Vec<PortSpec<'a>> {
    let lexer = Lexer::new(ctx.file.escape);
    let mut specs = Vec::new();
    for (index, instruction, onbuild) in ctx.instructions() {
        if instruction.keyword != Keyword::Expose {
            continue;
        }
        for arg in &instruction.args {
            // An ONBUILD trigger is expanded in the child build: only literal values are known.
            let value = if onbuild {
                match lexer.process_word(&arg.value, &()) {
                    Ok(expansion) if expansion.references.is_empty() => expansion.value,
                    _ => continue,
                }
            } else {
                let Some(stage) = ctx.build.stage_of(index) else {
                    continue;
                };
                let resolved = ctx.build.resolve(stage.index, index, &arg.value);
                if !resolved.complete {
                    continue;
                }
                resolved.value
            };
            let literal = value == arg.value
                && instruction.line.text.get(arg.logical.clone()) == Some(arg.value.as_str());
            // Like BuildKit's ProcessWords, an expanded value may hold several specs.
            let mut rest = value.as_str();
            let mut consumed = 0;
            while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
                let len = rest[start..]
                    .find(char::is_whitespace)
                    .unwrap_or(rest.len() - start);
                let word = &rest[start..start + len];
                specs.push(parse(
                    instruction,
                    arg,
                    word,
                    literal.then_some(consumed + start),
                ));
                consumed += start + len;
                rest = &rest[start + len..];
            }
        }
    }
    specs
}

/// Splits one spec as BuildKit's `splitParts` and `splitProtoPort` do.
fn parse<'a>(
    instruction: &'a Instruction,
    arg: &'a Arg,
    word: &str,
    offset: Option<usize>,
) -> PortSpec<'a> {
    let colons: Vec<usize> = word.match_indices(':').map(|(i, _)| i).collect();
    let (ip, host, container_start) = match colons.as_slice() {
        [] => (None, None, 0),
        [c] => (None, Some(0..*c), c + 1),
        [.., a, b] => (Some(0..*a), Some(a + 1..*b), b + 1),
    };
    let (port, proto) = match word[container_start..].find('/') {
        Some(slash) => {
            let slash = container_start + slash;
            let proto = (slash + 1 < word.len()).then_some(slash + 1..word.len());
            (container_start..slash, proto)
        }
        None => (container_start..word.len(), None),
    };
    PortSpec {
        instruction,
        arg,
        text: word.to_owned(),
        offset,
        ip: ip.filter(|r| !r.is_empty()),
        host: host.filter(|r| !r.is_empty()),
        port,
        proto,
    }
}

/// Reads `text[range]` as a port (`80`) or range (`8000-9000`) like BuildKit's
/// `parsePortRange`.
pub(crate) fn port_range(text: &str, range: Range<usize>) -> Result<(u32, u32), PortProblem> {
    let body = &text[range.clone()];
    let number = |r: Range<usize>| -> Result<u32, PortProblem> {
        let digits = &text[r.clone()];
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(PortProblem::Malformed(r));
        }
        match digits.parse::<u32>() {
            Ok(n) if n <= 65535 => Ok(n),
            _ => Err(PortProblem::OutOfRange(r)),
        }
    };
    let dashes: Vec<usize> = body
        .match_indices('-')
        .map(|(i, _)| range.start + i)
        .collect();
    match dashes.as_slice() {
        [] => number(range).map(|n| (n, n)),
        [dash] => {
            let start = number(range.start..*dash)?;
            let end = number(dash + 1..range.end)?;
            if end < start {
                return Err(PortProblem::Reversed(range));
            }
            Ok((start, end))
        }
        _ => Err(PortProblem::Malformed(range)),
    }
}

/// The protocols BuildKit accepts, in any case.
pub(crate) fn known_protocol(proto: &str) -> bool {
    ["tcp", "udp", "sctp"]
        .iter()
        .any(|p| p.eq_ignore_ascii_case(proto))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_ranges_are_read_like_buildkit() {
        assert_eq!(port_range("80", 0..2), Ok((80, 80)));
        assert_eq!(port_range("x8000-9000", 1..10), Ok((8000, 9000)));
        assert_eq!(port_range("0", 0..1), Ok((0, 0)));
        assert_eq!(
            port_range("70000", 0..5),
            Err(PortProblem::OutOfRange(0..5))
        );
        assert_eq!(
            port_range("8000-70000", 0..10),
            Err(PortProblem::OutOfRange(5..10))
        );
        assert_eq!(
            port_range("9000-8000", 0..9),
            Err(PortProblem::Reversed(0..9))
        );
        for bad in ["", "http", "+80", "80-", "-80", "1-2-3", "8o"] {
            assert!(
                matches!(
                    port_range(bad, 0..bad.len()),
                    Err(PortProblem::Malformed(_))
                ),
                "{bad}"
            );
        }
        assert_eq!(
            port_range("99999999999999999999999", 0..23),
            Err(PortProblem::OutOfRange(0..23))
        );
    }
}
