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

/// RFC 3339 with seconds, as API timestamps serialize: `2026-11-22T08:00:00Z`.
pub fn rfc3339(t: SimTime) -> String {
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

/// Go's `time.RFC3339Nano`: the fraction without trailing zeros, as in the `config.seen`
/// annotation (`2026-11-22T08:00:01.5Z`).
pub fn rfc3339_nano(t: SimTime) -> String {
    let ms = t.wall_millis().rem_euclid(1000);
    let base = rfc3339(t);
    if ms == 0 {
        return base;
    }
    let frac = format!("{ms:03}");
    format!(
        "{}.{}Z",
        base.trim_end_matches('Z'),
        frac.trim_end_matches('0')
    )
}

/// A Kubernetes `metav1.MicroTime` as it serializes (`RFC3339Micro`):
/// `2026-11-22T08:00:01.500000Z`.
pub fn rfc3339_micro(t: SimTime) -> String {
    let micros = t.wall_millis().rem_euclid(1000) * 1000;
    format!("{}.{micros:06}Z", rfc3339(t).trim_end_matches('Z'))
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

    #[test]
    fn k8s_time_serializes_like_the_api() {
        let json = serde_json::to_string(&k8s_time(SimTime(61_000))).unwrap();
        assert_eq!(json, "\"2026-11-22T08:01:01Z\"");
    }
}
