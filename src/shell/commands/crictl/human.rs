//! The human-readable figures crictl prints, from `github.com/docker/go-units`:
//! `HumanDuration` (the CREATED column, "2 minutes ago") and `HumanSizeWithPrecision` (the
//! SIZE column of `crictl images`), with Go's `%.*g` formatting.

use crate::sim::SimDuration;

/// `units.HumanDuration`: "Less than a second", "About a minute", "3 hours", "2 weeks".
pub fn human_duration(d: SimDuration) -> String {
    let millis = d.as_millis();
    let seconds = millis / 1000;
    if seconds < 1 {
        return "Less than a second".into();
    }
    if seconds == 1 {
        return "1 second".into();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".into();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    // Hours are rounded (math.Round), the other units truncated.
    let hours = (millis as f64 / 3_600_000.0).round() as u64;
    if hours == 1 {
        return "About an hour".into();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", millis / 3_600_000 / 24 / 365)
}

/// `units.HumanSizeWithPrecision(size, precision)`: decimal units, `%.*g`.
pub fn human_size(size: f64, precision: usize) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = size;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    format!("{}{}", format_g(size, precision), UNITS[unit])
}

/// Go's `fmt.Sprintf("%.*g", precision, x)` for a non-negative finite `x`.
pub fn format_g(x: f64, precision: usize) -> String {
    let precision = precision.max(1);
    if x == 0.0 {
        return "0".into();
    }
    // Round to the significant digits first: the exponent may change (999.7 -> 1.00e3).
    let sci = format!("{:.*e}", precision - 1, x);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= precision as i32 {
        let mantissa = trim_fraction(mantissa);
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let decimals = (precision as i32 - 1 - exp).max(0) as usize;
    trim_fraction(&format!("{x:.decimals$}")).to_string()
}

fn trim_fraction(text: &str) -> &str {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_go_units() {
        let s = SimDuration::from_secs;
        assert_eq!(
            human_duration(SimDuration::from_millis(450)),
            "Less than a second"
        );
        assert_eq!(human_duration(s(1)), "1 second");
        assert_eq!(human_duration(s(47)), "47 seconds");
        assert_eq!(human_duration(s(60)), "About a minute");
        assert_eq!(human_duration(s(119)), "About a minute");
        assert_eq!(human_duration(s(35 * 60 + 40)), "35 minutes");
        assert_eq!(human_duration(s(3600 + 29 * 60)), "About an hour");
        assert_eq!(human_duration(s(3600 + 31 * 60)), "2 hours");
        assert_eq!(human_duration(s(36 * 3600)), "36 hours");
        assert_eq!(human_duration(s(13 * 86400 + 5 * 3600)), "13 days");
        assert_eq!(human_duration(s(30 * 86400)), "4 weeks");
        assert_eq!(human_duration(s(2 * 30 * 86400)), "2 months");
        assert_eq!(human_duration(s(3 * 365 * 86400 + 60 * 86400)), "3 years");
    }

    #[test]
    fn sizes_read_like_go_units() {
        assert_eq!(human_size(27_580_000.0, 3), "27.6MB");
        assert_eq!(human_size(320_412.0, 3), "320kB");
        assert_eq!(human_size(999_700.0, 3), "1e+03kB");
        assert_eq!(human_size(5_000_000.0, 3), "5MB");
        assert_eq!(human_size(512.0, 3), "512B");
        assert_eq!(format_g(0.000012345, 3), "1.23e-05");
    }
}
