//! What systemctl and journalctl add around `getopt_long` (`crate::shell::getopt`): ids for
//! the options they know but the playground does not implement, and the name to report for
//! one of those.

use crate::shell::getopt::Long;

/// The first id of a known-but-unimplemented long option (Unicode plane 15, private use).
const FIRST_UNSUPPORTED: u32 = 0xF_0000;

/// The id of a tool's `n`th known-but-unimplemented long option. Each gets its own, so that
/// glibc finds an abbreviation matching two of them ambiguous, as the real tool does.
pub(super) const fn unsupported_id(n: u8) -> char {
    match char::from_u32(FIRST_UNSUPPORTED + n as u32) {
        Some(id) => id,
        None => char::REPLACEMENT_CHARACTER,
    }
}

/// Whether `id` is one made by [`unsupported_id`].
fn is_unsupported(id: char) -> bool {
    (FIRST_UNSUPPORTED..=FIRST_UNSUPPORTED + u8::MAX as u32).contains(&(id as u32))
}

/// The long option as typed (`--name`, without `=value`) that matched an unsupported entry
/// of `longs`: what the "not supported" message names.
pub(super) fn unsupported_name(argv: &[String], longs: &[Long]) -> String {
    argv.iter()
        .skip(1)
        .find(|a| {
            a.starts_with("--")
                && longs.iter().any(|o| {
                    is_unsupported(o.id)
                        && a[2..]
                            .split('=')
                            .next()
                            .is_some_and(|n| !n.is_empty() && o.name.starts_with(n))
                })
        })
        .map(|a| a.split('=').next().unwrap_or(a).to_string())
        .unwrap_or_else(|| "this option".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::getopt::{long, HasArg};

    #[test]
    fn names_the_unsupported_option_as_typed() {
        let longs = [
            long("unit", HasArg::Required, 'u'),
            long("vacuum-size", HasArg::Required, unsupported_id(0)),
            long("vacuum-time", HasArg::Required, unsupported_id(1)),
        ];
        let argv: Vec<String> = ["journalctl", "-u", "x", "--vacuum-s=1G"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert_eq!(unsupported_name(&argv, &longs), "--vacuum-s");
        assert!(is_unsupported(unsupported_id(31)));
        assert!(!is_unsupported('u'));
    }
}
