//! Wall-clock renderings of virtual time: the formats Kubernetes, klog, journald and `date`
//! print. Virtual time zero is `WALL_EPOCH_MS`; the emulated hosts run in UTC.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::sim::time::SimTime;

/// The instant `t` as a jiff timestamp (what k8s-openapi's `Time` wraps).
pub fn timestamp(t: SimTime) -> Timestamp {
    // WALL_EPOCH_MS plus any u64 the simulation reaches stays far inside jiff's range.
    Timestamp::from_millisecond(t.wall_millis()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// A Kubernetes `metav1.Time` for `t`.
pub fn k8s_time(t: SimTime) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::Time {
    k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(timestamp(t))
}

fn civil(t: SimTime) -> DateTime {
    TimeZone::UTC.to_datetime(timestamp(t))
}

/// The last wall-clock millisecond (9998-12-31T23:59:59.999Z) that [`fields`] computes itself,
/// well inside jiff's range; later instants take jiff's path and render as they did.
const LAST_DIRECT_MS: i64 = 253_370_764_799_999;

/// A UTC instant's calendar fields: year, month, day, hour, minute, second.
type Fields = (i64, u32, u32, u32, u32, u32);

/// The calendar fields of `t`, computed from the day count (Hinnant's `civil_from_days`)
/// rather than through jiff: API timestamps are rendered on many wake-ups (every Lease
/// renewal), and the conversion with `format!` was a measurable share of them.
fn fields(t: SimTime) -> Fields {
    let ms = t.wall_millis();
    if !(0..=LAST_DIRECT_MS).contains(&ms) {
        let dt = civil(t);
        return (
            i64::from(dt.year()),
            dt.month() as u32,
            dt.day() as u32,
            dt.hour() as u32,
            dt.minute() as u32,
            dt.second() as u32,
        );
    }
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, (secs % 86_400) as u32);
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem / 60 % 60, rem % 60)
}

/// Writes `value` as `N` digits with leading zeros into `out` (the low digits of a wider one).
fn digits<const N: usize>(out: &mut [u8], value: u32) {
    let mut rest = value;
    for slot in out[..N].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
}

/// `2026-11-22T08:00:00` (no zone), with room for `extra` more bytes.
fn rfc3339_base(t: SimTime, extra: usize) -> String {
    let (year, month, day, hour, minute, second) = fields(t);
    let mut buf = *b"0000-00-00T00:00:00";
    // Virtual time starts in 2026 and jiff stops at 9999, so the year has four digits.
    digits::<4>(&mut buf[0..], year.clamp(0, 9999) as u32);
    digits::<2>(&mut buf[5..], month);
    digits::<2>(&mut buf[8..], day);
    digits::<2>(&mut buf[11..], hour);
    digits::<2>(&mut buf[14..], minute);
    digits::<2>(&mut buf[17..], second);
    let mut out = String::with_capacity(buf.len() + extra);
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
    out
}

/// RFC 3339 with seconds, as API timestamps serialize: `2026-11-22T08:00:00Z`.
pub fn rfc3339(t: SimTime) -> String {
    let mut out = rfc3339_base(t, 1);
    out.push('Z');
    out
}

/// Go's `time.RFC3339Nano`: the fraction without trailing zeros, as in the `config.seen`
/// annotation (`2026-11-22T08:00:01.5Z`).
pub fn rfc3339_nano(t: SimTime) -> String {
    let ms = t.wall_millis().rem_euclid(1000) as u32;
    let mut out = rfc3339_base(t, 5);
    if ms != 0 {
        let mut buf = *b".000";
        digits::<3>(&mut buf[1..], ms);
        let frac = std::str::from_utf8(&buf).unwrap_or_default();
        out.push_str(frac.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// A Kubernetes `metav1.MicroTime` as it serializes (`RFC3339Micro`):
/// `2026-11-22T08:00:01.500000Z`.
pub fn rfc3339_micro(t: SimTime) -> String {
    let ms = t.wall_millis().rem_euclid(1000) as u32;
    let mut out = rfc3339_base(t, 8);
    let mut buf = *b".000000Z";
    digits::<3>(&mut buf[1..], ms);
    out.push_str(std::str::from_utf8(&buf).unwrap_or_default());
    out
}

/// The klog header stamp: `1122 08:00:01.123000` (month, day, time with microseconds).
pub fn klog_stamp(t: SimTime) -> String {
    let dt = civil(t);
    let micros = t.wall_millis().rem_euclid(1000) * 1000;
    format!(
        "{:02}{:02} {:02}:{:02}:{:02}.{:06}",
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        micros
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// journald's short format: `Nov 22 08:00:01`.
pub fn journal_stamp(t: SimTime) -> String {
    let dt = civil(t);
    format!(
        "{} {:02} {:02}:{:02}:{:02}",
        MONTHS[(dt.month() - 1) as usize],
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// What `date` prints: `Sun Nov 22 08:00:01 UTC 2026`.
pub fn date_string(t: SimTime) -> String {
    let dt = civil(t);
    let weekday = WEEKDAYS[(dt.weekday().to_monday_zero_offset()) as usize];
    format!(
        "{weekday} {} {:2} {:02}:{:02}:{:02} UTC {}",
        MONTHS[(dt.month() - 1) as usize],
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        dt.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_epoch() {
        let t = SimTime(1500);
        assert_eq!(rfc3339(t), "2026-11-22T08:00:01Z");
        assert_eq!(rfc3339_nano(t), "2026-11-22T08:00:01.5Z");
        assert_eq!(rfc3339_nano(SimTime(0)), "2026-11-22T08:00:00Z");
        assert_eq!(klog_stamp(t), "1122 08:00:01.500000");
        assert_eq!(journal_stamp(t), "Nov 22 08:00:01");
        assert_eq!(date_string(t), "Sun Nov 22 08:00:01 UTC 2026");
    }

    /// jiff's rendering, the reference the direct computation must match.
    fn rfc3339_by_jiff(t: SimTime) -> String {
        let dt = civil(t);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        )
    }

    #[test]
    fn direct_fields_match_jiff_across_leap_years_and_centuries() {
        let day = 86_400_000u64;
        // Steps of 37 h 11 min 7.3 s over about 400 years from the epoch, past 2100 (not a
        // leap year) and 2400 (one), and a few instants around the direct range's end.
        let step = 133_867_300u64;
        let mut t = 0u64;
        while t < 146_100 * day {
            assert_eq!(rfc3339(SimTime(t)), rfc3339_by_jiff(SimTime(t)), "{t}");
            t += step;
        }
        let last = (LAST_DIRECT_MS - crate::sim::time::WALL_EPOCH_MS) as u64;
        for t in [last - 1000, last, last + 1, u64::MAX] {
            assert_eq!(rfc3339(SimTime(t)), rfc3339_by_jiff(SimTime(t)), "{t}");
        }
        assert_eq!(rfc3339_nano(SimTime(1_020)), "2026-11-22T08:00:01.02Z");
        assert_eq!(rfc3339_nano(SimTime(1_123)), "2026-11-22T08:00:01.123Z");
        assert_eq!(rfc3339_micro(SimTime(1_007)), "2026-11-22T08:00:01.007000Z");
        assert_eq!(rfc3339_micro(SimTime(0)), "2026-11-22T08:00:00.000000Z");
    }

    #[test]
    fn k8s_time_serializes_like_the_api() {
        let json = serde_json::to_string(&k8s_time(SimTime(61_000))).unwrap();
        assert_eq!(json, "\"2026-11-22T08:01:01Z\"");
    }
}
