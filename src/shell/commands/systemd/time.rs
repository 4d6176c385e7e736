//! systemd's renderings and parsers of time (`src/basic/time-util.c`, v255): the timestamps
//! `systemctl status` prints (`Sun 2026-11-22 08:00:00 UTC; 5min ago`), time spans
//! (`1min 2s`), and the `--since`/`--until` syntax journalctl accepts (`5 min ago`, `-5m`,
//! `2026-11-22 08:10:00`, `today`, `yesterday`). The hosts run in UTC.
//!
//! Simplified: the virtual clock has millisecond resolution, so microsecond parts are
//! always zero.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::sim::SimTime;

const USEC_PER_MSEC: u64 = 1_000;
const USEC_PER_SEC: u64 = 1_000_000;
const USEC_PER_MINUTE: u64 = 60 * USEC_PER_SEC;
const USEC_PER_HOUR: u64 = 60 * USEC_PER_MINUTE;
const USEC_PER_DAY: u64 = 24 * USEC_PER_HOUR;
const USEC_PER_WEEK: u64 = 7 * USEC_PER_DAY;
const USEC_PER_MONTH: u64 = 2_629_800 * USEC_PER_SEC;
const USEC_PER_YEAR: u64 = 31_557_600 * USEC_PER_SEC;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The civil UTC date and time of a wall-clock instant in Unix milliseconds.
fn civil(wall_ms: i64) -> DateTime {
    let ts = Timestamp::from_millisecond(wall_ms).unwrap_or(Timestamp::UNIX_EPOCH);
    TimeZone::UTC.to_datetime(ts)
}

/// `FORMAT_TIMESTAMP`: `Sun 2026-11-22 08:00:00 UTC`.
pub(super) fn format_timestamp(t: SimTime) -> String {
    let dt = civil(t.wall_millis());
    format!(
        "{} {:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC",
        WEEKDAYS[dt.weekday().to_monday_zero_offset() as usize],
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// journald's `short-iso` stamp: `2026-11-22T08:00:01+00:00`.
pub(super) fn format_iso(t: SimTime) -> String {
    let dt = civil(t.wall_millis());
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// journald's `short-precise` stamp: `Nov 22 08:00:01.500000`.
pub(super) fn format_precise(t: SimTime) -> String {
    let dt = civil(t.wall_millis());
    format!(
        "{} {:02} {:02}:{:02}:{:02}.{:06}",
        MONTHS[(dt.month() - 1) as usize],
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        t.wall_millis().rem_euclid(1000) * 1000
    )
}

/// `FORMAT_TIMESTAMP_RELATIVE`: how long ago `t` was at `now` (`5min ago`, `1h 2min ago`).
pub(super) fn format_relative(now: SimTime, t: SimTime) -> String {
    let (d, suffix) = match now.as_millis().checked_sub(t.as_millis()) {
        Some(d) => (d * USEC_PER_MSEC, " ago"),
        None => ((t.as_millis() - now.as_millis()) * USEC_PER_MSEC, " left"),
    };
    let plural = |n: u64, one: &str, many: &str| -> String {
        format!("{n} {}", if n == 1 { one } else { many })
    };
    if d >= USEC_PER_YEAR {
        let years = d / USEC_PER_YEAR;
        let months = (d % USEC_PER_YEAR) / USEC_PER_MONTH;
        format!(
            "{} {}{suffix}",
            plural(years, "year", "years"),
            plural(months, "month", "months")
        )
    } else if d >= USEC_PER_MONTH {
        let months = d / USEC_PER_MONTH;
        let days = (d % USEC_PER_MONTH) / USEC_PER_DAY;
        format!(
            "{} {}{suffix}",
            plural(months, "month", "months"),
            plural(days, "day", "days")
        )
    } else if d >= USEC_PER_WEEK {
        let weeks = d / USEC_PER_WEEK;
        let days = (d % USEC_PER_WEEK) / USEC_PER_DAY;
        format!(
            "{} {}{suffix}",
            plural(weeks, "week", "weeks"),
            plural(days, "day", "days")
        )
    } else if d >= 2 * USEC_PER_DAY {
        format!("{} days{suffix}", d / USEC_PER_DAY)
    } else if d >= 25 * USEC_PER_HOUR {
        format!("1 day {}h{suffix}", (d - USEC_PER_DAY) / USEC_PER_HOUR)
    } else if d >= 6 * USEC_PER_HOUR {
        format!("{}h{suffix}", d / USEC_PER_HOUR)
    } else if d >= USEC_PER_HOUR {
        format!(
            "{}h {}min{suffix}",
            d / USEC_PER_HOUR,
            (d % USEC_PER_HOUR) / USEC_PER_MINUTE
        )
    } else if d >= 5 * USEC_PER_MINUTE {
        format!("{}min{suffix}", d / USEC_PER_MINUTE)
    } else if d >= USEC_PER_MINUTE {
        format!(
            "{}min {}s{suffix}",
            d / USEC_PER_MINUTE,
            (d % USEC_PER_MINUTE) / USEC_PER_SEC
        )
    } else if d >= USEC_PER_SEC {
        format!("{}s{suffix}", d / USEC_PER_SEC)
    } else if d >= USEC_PER_MSEC {
        format!("{}ms{suffix}", d / USEC_PER_MSEC)
    } else if d > 0 {
        format!("{d}us{suffix}")
    } else {
        "now".to_string()
    }
}

/// `FORMAT_TIMESPAN(ms, accuracy)`: `5min 12s`, `1.234s`, `88ms`.
pub(super) fn format_timespan(ms: u64, accuracy_ms: u64) -> String {
    const TABLE: &[(&str, u64)] = &[
        ("y", USEC_PER_YEAR),
        ("month", USEC_PER_MONTH),
        ("w", USEC_PER_WEEK),
        ("d", USEC_PER_DAY),
        ("h", USEC_PER_HOUR),
        ("min", USEC_PER_MINUTE),
        ("s", USEC_PER_SEC),
        ("ms", USEC_PER_MSEC),
        ("us", 1),
    ];
    let mut t = ms * USEC_PER_MSEC;
    let accuracy = accuracy_ms.max(1) * USEC_PER_MSEC;
    if t == 0 {
        return "0".to_string();
    }
    let mut out = String::new();
    for &(suffix, unit) in TABLE {
        if t == 0 || (t < accuracy && !out.is_empty()) {
            break;
        }
        if t < unit {
            continue;
        }
        let a = t / unit;
        let mut b = t % unit;
        let sep = if out.is_empty() { "" } else { " " };
        // Below a minute, a remainder is shown as a decimal fraction down to the accuracy.
        if t < USEC_PER_MINUTE && b > 0 {
            let mut digits: i32 = 0;
            let mut cc = unit;
            while cc > 1 {
                digits += 1;
                cc /= 10;
            }
            let mut cc = accuracy;
            while cc > 1 {
                b /= 10;
                digits -= 1;
                cc /= 10;
            }
            if digits > 0 {
                out.push_str(&format!(
                    "{sep}{a}.{b:0width$}{suffix}",
                    width = digits as usize
                ));
                t = 0;
                continue;
            }
        }
        out.push_str(&format!("{sep}{a}{suffix}"));
        t = b;
    }
    out
}

/// systemd's `parse_sec`: `5`, `5s`, `5 min`, `1h 30min`, `2.5s`; milliseconds.
pub(super) fn parse_sec(text: &str) -> Option<u64> {
    const UNITS: &[(&str, u64)] = &[
        ("seconds", USEC_PER_SEC),
        ("second", USEC_PER_SEC),
        ("sec", USEC_PER_SEC),
        ("s", USEC_PER_SEC),
        ("minutes", USEC_PER_MINUTE),
        ("minute", USEC_PER_MINUTE),
        ("min", USEC_PER_MINUTE),
        ("months", USEC_PER_MONTH),
        ("month", USEC_PER_MONTH),
        ("M", USEC_PER_MONTH),
        ("msec", USEC_PER_MSEC),
        ("ms", USEC_PER_MSEC),
        ("m", USEC_PER_MINUTE),
        ("hours", USEC_PER_HOUR),
        ("hour", USEC_PER_HOUR),
        ("hr", USEC_PER_HOUR),
        ("h", USEC_PER_HOUR),
        ("days", USEC_PER_DAY),
        ("day", USEC_PER_DAY),
        ("d", USEC_PER_DAY),
        ("weeks", USEC_PER_WEEK),
        ("week", USEC_PER_WEEK),
        ("w", USEC_PER_WEEK),
        ("years", USEC_PER_YEAR),
        ("year", USEC_PER_YEAR),
        ("y", USEC_PER_YEAR),
        ("usec", 1),
        ("us", 1),
        ("μs", 1),
    ];
    let mut rest = text.trim_start();
    if rest.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let (whole, after) = rest.split_at(digits);
        let (frac, after) = match after.strip_prefix('.') {
            Some(f) => {
                let n = f.len() - f.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                f.split_at(n)
            }
            None => ("", after),
        };
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        let after = after.trim_start();
        let (unit, after) = match UNITS.iter().find(|(s, _)| after.starts_with(s)) {
            Some((s, unit)) => (*unit, &after[s.len()..]),
            None => (USEC_PER_SEC, after),
        };
        let whole: u64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut part = whole.checked_mul(unit)?;
        let mut scale = unit;
        for c in frac.chars() {
            scale /= 10;
            part += u64::from(c.to_digit(10)?) * scale;
        }
        total = total.checked_add(part)?;
        rest = after.trim_start();
    }
    Some(total / USEC_PER_MSEC)
}

/// systemd's `parse_timestamp` against the virtual clock: the wall-clock instant (Unix
/// milliseconds) that `text` names at `now`, or `None` if systemd would refuse it.
pub(super) fn parse_timestamp(text: &str, now: SimTime) -> Option<i64> {
    let now_ms = now.wall_millis();
    let text = text.trim();
    let text = text
        .strip_suffix(" UTC")
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text);
    if text == "now" {
        return Some(now_ms);
    }
    if let Some(secs) = text.strip_prefix('@') {
        return secs.parse::<i64>().ok().map(|s| s * 1000);
    }
    if let Some(span) = text.strip_prefix('+') {
        return Some(now_ms + parse_sec(span)? as i64);
    }
    if let Some(span) = text.strip_prefix('-') {
        return Some(now_ms - parse_sec(span)? as i64);
    }
    if let Some(span) = text.strip_suffix(" ago") {
        return Some(now_ms - parse_sec(span)? as i64);
    }
    if let Some(span) = text.strip_suffix(" left") {
        return Some(now_ms + parse_sec(span)? as i64);
    }
    let today = civil(now_ms).date();
    let midnight = |days: i64| -> Option<i64> {
        let date = today.checked_add(jiff::Span::new().days(days)).ok()?;
        wall_ms(date.at(0, 0, 0, 0))
    };
    match text {
        "today" => return midnight(0),
        "yesterday" => return midnight(-1),
        "tomorrow" => return midnight(1),
        _ => (),
    }
    // A leading weekday must agree with the date.
    let mut weekday = None;
    let mut body = text;
    for (idx, name) in WEEKDAYS.iter().enumerate() {
        if let Some(rest) = body.strip_prefix(name).and_then(|r| r.strip_prefix(' ')) {
            weekday = Some(idx);
            body = rest;
            break;
        }
    }
    let dt = parse_date_time(body, today)?;
    if weekday.is_some_and(|w| w != dt.weekday().to_monday_zero_offset() as usize) {
        return None;
    }
    wall_ms(dt)
}

fn wall_ms(dt: DateTime) -> Option<i64> {
    Some(
        dt.to_zoned(TimeZone::UTC)
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// `YYYY-MM-DD[ |T]HH:MM[:SS[.frac]]`, `YYYY-MM-DD`, `HH:MM[:SS]` (today), and journald's own
/// `Nov 22 08:00:01` (this year).
fn parse_date_time(text: &str, today: jiff::civil::Date) -> Option<DateTime> {
    let num = |s: &str| -> Option<i64> {
        if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let time = |s: &str| -> Option<(i8, i8, i8, i32)> {
        let (hms, frac) = match s.split_once('.') {
            Some((hms, frac)) => (hms, Some(frac)),
            None => (s, None),
        };
        let parts: Vec<&str> = hms.split(':').collect();
        let (h, m, sec) = match parts.as_slice() {
            [h, m] if frac.is_none() => (num(h)?, num(m)?, 0),
            [h, m, sec] => (num(h)?, num(m)?, num(sec)?),
            _ => return None,
        };
        let nanos = match frac {
            Some(f) if !f.is_empty() && f.len() <= 6 => {
                num(f)? as i32 * 10i32.pow(9 - f.len() as u32)
            }
            Some(_) => return None,
            None => 0,
        };
        Some((h as i8, m as i8, sec as i8, nanos))
    };
    let date = |s: &str| -> Option<jiff::civil::Date> {
        let parts: Vec<&str> = s.split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return None;
        };
        if y.len() != 4 {
            return None;
        }
        jiff::civil::Date::new(num(y)? as i16, num(m)? as i8, num(d)? as i8).ok()
    };
    // journald's short format: `Nov 22 08:00:01`.
    let words: Vec<&str> = text.split_whitespace().collect();
    if let [mon, day, hms] = words.as_slice() {
        if let Some(m) = MONTHS.iter().position(|name| name == mon) {
            let d = jiff::civil::Date::new(today.year(), m as i8 + 1, num(day)? as i8).ok()?;
            let (h, mi, s, ns) = time(hms)?;
            return DateTime::new(d.year(), d.month(), d.day(), h, mi, s, ns).ok();
        }
    }
    let (d, t) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (date(d)?, Some(time(t)?)),
        None => match date(text) {
            Some(d) => (d, None),
            None => (today, Some(time(text)?)),
        },
    };
    let (h, mi, s, ns) = t.unwrap_or((0, 0, 0, 0));
    DateTime::new(d.year(), d.month(), d.day(), h, mi, s, ns).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: u64 = 60_000;

    #[test]
    fn timestamps_and_relative_times() {
        assert_eq!(format_timestamp(SimTime(0)), "Sun 2026-11-22 08:00:00 UTC");
        assert_eq!(format_iso(SimTime(61_000)), "2026-11-22T08:01:01+00:00");
        assert_eq!(format_precise(SimTime(1_500)), "Nov 22 08:00:01.500000");
        let now = SimTime(10 * MIN);
        assert_eq!(format_relative(now, SimTime(0)), "10min ago");
        assert_eq!(format_relative(now, SimTime(10 * MIN - 3_000)), "3s ago");
        assert_eq!(
            format_relative(now, SimTime(8 * MIN - 5_000)),
            "2min 5s ago"
        );
        assert_eq!(
            format_relative(SimTime(90 * MIN), SimTime(0)),
            "1h 30min ago"
        );
        assert_eq!(format_relative(now, now), "now");
        assert_eq!(format_relative(now, SimTime(10 * MIN - 20)), "20ms ago");
    }

    #[test]
    fn timespans_follow_the_accuracy() {
        assert_eq!(format_timespan(5 * MIN + 12_345, 1_000), "5min 12s");
        assert_eq!(format_timespan(4_377, 1), "4.377s");
        assert_eq!(format_timespan(88, 1), "88ms");
        assert_eq!(format_timespan(MIN + 2_447, 1), "1min 2.447s");
        assert_eq!(format_timespan(10_000, 1), "10s");
        assert_eq!(format_timespan(0, 1), "0");
    }

    #[test]
    fn spans_parse_like_parse_sec() {
        assert_eq!(parse_sec("5"), Some(5_000));
        assert_eq!(parse_sec("5 min"), Some(5 * MIN));
        assert_eq!(parse_sec("5m"), Some(5 * MIN));
        assert_eq!(parse_sec("1h 30min"), Some(90 * MIN));
        assert_eq!(parse_sec("2.5s"), Some(2_500));
        assert_eq!(parse_sec("100ms"), Some(100));
        assert_eq!(parse_sec("2 days"), Some(2 * 24 * 60 * MIN));
        assert_eq!(parse_sec(""), None);
        assert_eq!(parse_sec("five"), None);
        assert_eq!(parse_sec("5 parsecs"), None);
    }

    #[test]
    fn timestamps_parse_against_the_virtual_clock() {
        let now = SimTime(10 * MIN);
        let at = |t: u64| SimTime(t).wall_millis();
        assert_eq!(parse_timestamp("5 min ago", now), Some(at(5 * MIN)));
        assert_eq!(parse_timestamp("-5m", now), Some(at(5 * MIN)));
        assert_eq!(parse_timestamp("now", now), Some(at(10 * MIN)));
        assert_eq!(
            parse_timestamp("2026-11-22 08:10:00", now),
            Some(at(10 * MIN))
        );
        assert_eq!(parse_timestamp("2026-11-22T08:01", now), Some(at(MIN)));
        assert_eq!(parse_timestamp("08:02:30", now), Some(at(2 * MIN + 30_000)));
        assert_eq!(parse_timestamp("Nov 22 08:00:05", now), Some(at(5_000)));
        assert_eq!(
            parse_timestamp("Sun 2026-11-22 08:00:00 UTC", now),
            Some(at(0))
        );
        assert_eq!(parse_timestamp("Mon 2026-11-22 08:00:00", now), None);
        let midnight = at(0) - 8 * 60 * MIN as i64;
        assert_eq!(parse_timestamp("today", now), Some(midnight));
        assert_eq!(
            parse_timestamp("yesterday", now),
            Some(midnight - 24 * 60 * MIN as i64)
        );
        assert_eq!(parse_timestamp("soon", now), None);
        assert_eq!(parse_timestamp("2026-13-40", now), None);
    }
}
