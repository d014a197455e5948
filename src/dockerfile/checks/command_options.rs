//! Reading a command's options the way getopt-style tools do: bundled short options (`-xzf`),
//! values attached (`-u12345`, `--uid=1`) or in the next word, and `--` ending the options.
//!
//! `Command::flag` answers "is this flag present"; the checks of this module's users also need
//! option values (`useradd -u 100000`, `tar -xf app.tar`) and the operands left over.

use crate::dockerfile::shell::Word;

/// Which options of a tool take a value.
pub(crate) struct OptionSpec {
    /// Short options that take a value (`"fC"` for tar).
    pub short_values: &'static str,
    /// Long options that take a value when it is not attached with `=`.
    pub long_values: &'static [&'static str],
}

/// An option's value and the word it was read from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OptionValue<'c> {
    pub text: &'c str,
    pub word: &'c Word,
}

/// One parsed piece of a command line.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Item<'c> {
    Short {
        name: char,
        value: Option<OptionValue<'c>>,
    },
    Long {
        name: &'c str,
        value: Option<OptionValue<'c>>,
    },
    Operand(&'c Word),
}

/// A command line split into options and operands.
pub(crate) struct Options<'c> {
    pub items: Vec<Item<'c>>,
}

impl<'c> Options<'c> {
    pub fn parse(args: &'c [Word], spec: &OptionSpec) -> Self {
        let mut items = Vec::new();
        let mut index = 0;
        let mut only_operands = false;
        while let Some(word) = args.get(index) {
            index += 1;
            let text = word.text.as_str();
            if only_operands || text == "-" || !text.starts_with('-') {
                items.push(Item::Operand(word));
                continue;
            }
            if text == "--" {
                only_operands = true;
                continue;
            }
            if let Some(long) = text.strip_prefix("--") {
                let (name, value) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(OptionValue { text: value, word })),
                    None if spec.long_values.contains(&long) => {
                        let value = args.get(index).map(|next| OptionValue {
                            text: next.text.as_str(),
                            word: next,
                        });
                        index += usize::from(value.is_some());
                        (long, value)
                    }
                    None => (long, None),
                };
                items.push(Item::Long { name, value });
                continue;
            }
            let bundle = &text[1..];
            for (at, name) in bundle.char_indices() {
                if spec.short_values.contains(name) {
                    let rest = &bundle[at + name.len_utf8()..];
                    let value = if rest.is_empty() {
                        let value = args.get(index).map(|next| OptionValue {
                            text: next.text.as_str(),
                            word: next,
                        });
                        index += usize::from(value.is_some());
                        value
                    } else {
                        Some(OptionValue { text: rest, word })
                    };
                    items.push(Item::Short { name, value });
                    break;
                }
                items.push(Item::Short { name, value: None });
            }
        }
        Options { items }
    }

    /// Whether the short option `short` or the long option `long` is given.
    pub fn has(&self, short: Option<char>, long: &[&str]) -> bool {
        self.items.iter().any(|item| match item {
            Item::Short { name, .. } => Some(*name) == short,
            Item::Long { name, .. } => long.contains(name),
            Item::Operand(_) => false,
        })
    }

    /// The value of the last `short`/`long` option given.
    pub fn value(&self, short: Option<char>, long: &[&str]) -> Option<OptionValue<'c>> {
        self.items.iter().rev().find_map(|item| match item {
            Item::Short { name, value } if Some(*name) == short => *value,
            Item::Long { name, value } if long.contains(name) => *value,
            _ => None,
        })
    }

    /// The operands, in order.
    pub fn operands(&self) -> impl Iterator<Item = &'c Word> + '_ {
        self.items.iter().filter_map(|item| match item {
            Item::Operand(word) => Some(*word),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::shell::commands;

    const TAR: OptionSpec = OptionSpec {
        short_values: "fC",
        long_values: &["file", "directory"],
    };

    #[test]
    fn bundles_attached_and_separate_values() {
        let cmds = commands("tar -xzf app.tar.gz -C /opt --strip-components=1 x");
        let options = Options::parse(cmds[0].args(), &TAR);
        assert!(options.has(Some('x'), &["extract"]));
        assert_eq!(
            options.value(Some('f'), &["file"]).unwrap().text,
            "app.tar.gz"
        );
        assert_eq!(options.value(Some('C'), &[]).unwrap().text, "/opt");
        assert_eq!(
            options.value(None, &["strip-components"]).unwrap().text,
            "1"
        );
        let operands: Vec<_> = options.operands().map(|w| w.text.as_str()).collect();
        assert_eq!(operands, ["x"]);

        let cmds = commands("tar --file x.tar -fy.tar -- -odd");
        let options = Options::parse(cmds[0].args(), &TAR);
        assert_eq!(options.value(Some('f'), &["file"]).unwrap().text, "y.tar");
        let operands: Vec<_> = options.operands().map(|w| w.text.as_str()).collect();
        assert_eq!(operands, ["-odd"]);
    }
}
