//! Mirrors `staging/src/k8s.io/apimachinery/pkg/api/resource/{quantity.go,suffix.go,amount.go}`
//! (v1.34): parsing a resource quantity (`500m`, `128Mi`, `1e3`), comparing two, rounding up to
//! milli-units as `SetDefaults_ResourceList` does, and the canonical `String()` form the API
//! machinery prints (`1024Mi` → `1Gi`, `0.5` → `500m`).
//!
//! Deliberate simplifications:
//! - Values are exact decimals `mantissa × 10^exponent` with an `i128` mantissa instead of
//!   `inf.Dec`; a quantity too large for that (beyond about 10^38 in its mantissa) is reported
//!   as a numeric error instead of being kept with arbitrary precision.
//! - Canonical forms whose decimal exponent falls outside the SI suffixes (n … E) print without
//!   a suffix, which is what upstream's suffixer does too.

use std::cmp::Ordering;
use std::fmt;

/// How a quantity was written, which decides how it prints (`resource.Format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `1e3`, `2E-2`.
    DecimalExponent,
    /// `500m`, `2k`, plain numbers.
    DecimalSi,
    /// `128Mi`, `1Gi`.
    BinarySi,
}

/// Why a string is not a quantity; `Display` gives upstream's error text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// `ErrFormatWrong`.
    FormatWrong,
    /// `ErrNumeric`.
    Numeric,
    /// `ErrSuffix`.
    Suffix,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuantityError::FormatWrong => "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            QuantityError::Numeric => "unable to parse quantity's numeric part",
            QuantityError::Suffix => "unable to parse quantity's suffix",
        })
    }
}

impl std::error::Error for QuantityError {}

/// A parsed resource quantity: the exact value `mantissa × 10^exponent` and its format.
#[derive(Clone, Debug)]
pub struct Quantity {
    mantissa: i128,
    exponent: i32,
    format: Format,
    // Upstream keeps the input text when it is already in canonical form and prints it back
    // verbatim (even `+1Ki` or `0100m`); `None` means "compute the canonical form".
    original: Option<String>,
}

const NANO: i32 = -9;
const MAX_INT64_FACTORS: i32 = 18;

impl Quantity {
    /// `resource.ParseQuantity`.
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        if text.is_empty() {
            return Err(QuantityError::FormatWrong);
        }
        let parts = split_quantity(text)?;
        let (base, exp, format) = interpret_suffix(parts.suffix).ok_or(QuantityError::Suffix)?;

        if let Some(q) = fast_path(text, &parts, base, exp, format) {
            return Ok(q);
        }

        // The general path: an exact decimal, rounded up to nano precision.
        let digits = format!("{}{}", parts.num, parts.denom);
        let mut mantissa: i128 = digits.parse().map_err(|_| QuantityError::Numeric)?;
        let mut exponent = -(parts.denom.len() as i32);
        if base == 10 {
            exponent = exponent.checked_add(exp).ok_or(QuantityError::Numeric)?;
        } else {
            let factor = 1i128
                .checked_shl(exp as u32)
                .ok_or(QuantityError::Numeric)?;
            mantissa = mantissa.checked_mul(factor).ok_or(QuantityError::Numeric)?;
        }
        if mantissa != 0 && exponent < NANO {
            mantissa = div_pow10_round_up(mantissa, NANO - exponent);
            exponent = NANO;
        }
        let mut format = format;
        let mut q = Quantity {
            mantissa,
            exponent,
            format,
            original: None,
        };
        if format == Format::BinarySi {
            let max = Quantity::from_int(i128::from(i64::MAX));
            if q.cmp_abs(&max) == Ordering::Greater {
                q.mantissa = i128::from(i64::MAX);
                q.exponent = 0;
            }
            if q.mantissa != 0 && q.cmp_abs(&Quantity::from_int(1)) == Ordering::Less {
                format = Format::DecimalSi;
            }
        }
        if !parts.positive {
            q.mantissa = -q.mantissa;
        }
        q.format = format;
        Ok(q)
    }

    fn from_int(value: i128) -> Quantity {
        Quantity {
            mantissa: value,
            exponent: 0,
            format: Format::DecimalSi,
            original: None,
        }
    }

    /// How the quantity was written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether the value is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.mantissa == 0
    }

    /// -1, 0 or 1.
    pub fn sign(&self) -> i32 {
        self.mantissa.signum() as i32
    }

    /// `Quantity.Cmp`: compares the values, ignoring formats.
    pub fn cmp_value(&self, other: &Quantity) -> Ordering {
        match self.sign().cmp(&other.sign()) {
            Ordering::Equal => (),
            unequal => return unequal,
        }
        let abs = self.cmp_abs(other);
        if self.sign() < 0 {
            abs.reverse()
        } else {
            abs
        }
    }

    fn cmp_abs(&self, other: &Quantity) -> Ordering {
        let (a, b) = (self.mantissa.unsigned_abs(), other.mantissa.unsigned_abs());
        let e = self.exponent.min(other.exponent);
        match (
            scale_up(a, self.exponent - e),
            scale_up(b, other.exponent - e),
        ) {
            (Some(x), Some(y)) => x.cmp(&y),
            // The side that overflows when lined up has the larger magnitude.
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (None, None) => self.exponent.cmp(&other.exponent),
        }
    }

    /// `ScaledValue(scale)`: the value in units of 10^scale, rounded up (away from zero).
    pub fn scaled_value(&self, scale: i32) -> i128 {
        if self.exponent >= scale {
            let shift = self.exponent - scale;
            return scale_up(self.mantissa.unsigned_abs(), shift)
                .map(|v| i128::try_from(v).unwrap_or(i128::MAX))
                .map(|v| if self.mantissa < 0 { -v } else { v })
                .unwrap_or(if self.mantissa < 0 {
                    i128::MIN
                } else {
                    i128::MAX
                });
        }
        div_pow10_round_up(self.mantissa, scale - self.exponent)
    }

    /// `Value()`: the value rounded up to an integer.
    pub fn value(&self) -> i128 {
        self.scaled_value(0)
    }

    /// `MilliValue()`: the value in thousandths, rounded up.
    pub fn milli_value(&self) -> i128 {
        self.scaled_value(-3)
    }

    /// `RoundUp(Milli)` as `SetDefaults_ResourceList` applies it: finer-than-milli values round
    /// up (away from zero) to the next milli-unit.
    pub fn round_up_to_milli(&mut self) {
        if self.exponent >= -3 {
            return;
        }
        self.original = None;
        self.mantissa = div_pow10_round_up(self.mantissa, -3 - self.exponent);
        self.exponent = -3;
    }

    /// The canonical text (`Quantity.String()`).
    pub fn canonical(&self) -> String {
        if let Some(original) = &self.original {
            return original.clone();
        }
        if self.mantissa == 0 {
            return "0".to_string();
        }
        let mut format = self.format;
        if format == Format::BinarySi {
            let small = self.cmp_abs(&Quantity::from_int(1024)) == Ordering::Less;
            if small || !self.is_integer() {
                format = Format::DecimalSi;
            }
        }
        match format {
            Format::BinarySi => {
                let mut value = self.value();
                let mut exp = 0;
                while value != 0 && value % 1024 == 0 && exp < 60 {
                    value /= 1024;
                    exp += 10;
                }
                format!("{value}{}", binary_suffix(exp))
            }
            Format::DecimalSi | Format::DecimalExponent => {
                let (number, exp) = self.canonical_decimal();
                let suffix = if format == Format::DecimalSi {
                    decimal_suffix(exp).to_string()
                } else if exp == 0 {
                    String::new()
                } else {
                    format!("e{exp}")
                };
                format!("{number}{suffix}")
            }
        }
    }

    fn is_integer(&self) -> bool {
        if self.exponent >= 0 {
            return true;
        }
        match 10i128.checked_pow((-self.exponent) as u32) {
            Some(p) => self.mantissa % p == 0,
            None => self.mantissa == 0,
        }
    }

    /// `AsCanonicalBytes`: trailing zeros folded into the exponent, then the exponent lowered
    /// to a multiple of three.
    fn canonical_decimal(&self) -> (i128, i32) {
        let mut m = self.mantissa;
        let mut e = self.exponent;
        while m != 0 && m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        // Go's % keeps the dividend's sign; rem_euclid gives the equivalent step count.
        match e.rem_euclid(3) {
            1 => {
                m = m.saturating_mul(10);
                e -= 1;
            }
            2 => {
                m = m.saturating_mul(100);
                e -= 2;
            }
            _ => (),
        }
        (m, e)
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// The canonical form of `text`, or `None` when it does not parse.
pub fn canonicalize(text: &str) -> Option<String> {
    Quantity::parse(text).ok().map(|q| q.canonical())
}

struct QuantityParts<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// `parseQuantityString`: sign, integer digits (leading zeros dropped), fraction digits and
/// the suffix.
fn split_quantity(s: &str) -> Result<QuantityParts<'_>, QuantityError> {
    let bytes = s.as_bytes();
    let end = bytes.len();
    let mut pos = 0;
    let mut positive = true;
    match bytes.first() {
        Some(b'-') => {
            positive = false;
            pos += 1;
        }
        Some(b'+') => pos += 1,
        _ => (),
    }
    while pos < end && bytes[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(QuantityParts {
            positive,
            num: "0",
            denom: "",
            suffix: "",
        });
    }
    let num_start = pos;
    while pos < end && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    let mut num = &s[num_start..pos];
    if num.is_empty() {
        num = "0";
    }
    let mut denom = "";
    if pos < end && bytes[pos] == b'.' {
        pos += 1;
        let denom_start = pos;
        while pos < end && bytes[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[denom_start..pos];
    }
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&bytes[pos]) {
        pos += 1;
    }
    if pos < end && matches!(bytes[pos], b'-' | b'+') {
        pos += 1;
    }
    while pos < end && bytes[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos < end {
        return Err(QuantityError::FormatWrong);
    }
    Ok(QuantityParts {
        positive,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// `suffixHandler.interpret`: base, exponent and format of a suffix.
fn interpret_suffix(suffix: &str) -> Option<(u32, i32, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSi));
    let binary = |e| Some((2, e, Format::BinarySi));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let rest = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))?;
            if rest.is_empty() {
                return None;
            }
            let exp: i64 = rest.parse().ok()?;
            let exp = i32::try_from(exp).ok()?;
            Some((10, exp, Format::DecimalExponent))
        }
    }
}

/// ParseQuantity's int64 fast path; returns `None` when upstream would take the `inf.Dec` path.
fn fast_path(
    text: &str,
    parts: &QuantityParts<'_>,
    base: u32,
    exp: i32,
    format: Format,
) -> Option<Quantity> {
    let (mut scale, precision, multiplier) = match format {
        Format::DecimalExponent | Format::DecimalSi => (
            exp,
            MAX_INT64_FACTORS - (parts.num.len() + parts.denom.len()) as i32,
            1i64,
        ),
        Format::BinarySi => {
            if exp >= 0 && parts.denom.is_empty() && base == 2 {
                let precision = 15 - parts.num.len() as i32 - (exp as f32 * 3.0 / 10.0) as i32 - 1;
                (0, precision, 1i64.checked_shl(exp as u32)?)
            } else {
                (0, -1, 1)
            }
        }
    };
    if precision < 0 {
        return None;
    }
    scale -= parts.denom.len() as i32;
    if scale < NANO {
        return None;
    }
    let shifted = format!("{}{}", parts.num, parts.denom);
    let value: i64 = shifted.parse().ok()?;
    let mut result = value.checked_mul(multiplier)?;
    if !parts.positive {
        result = -result;
    }
    let canonical_input = match format {
        Format::BinarySi => exp % 10 == 0 && (value & 0x07) != 0,
        _ => scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0'),
    };
    Some(Quantity {
        mantissa: i128::from(result),
        exponent: scale,
        format,
        original: canonical_input.then(|| text.to_string()),
    })
}

fn decimal_suffix(exp: i32) -> &'static str {
    match exp {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => "",
    }
}

fn binary_suffix(exp: i32) -> &'static str {
    match exp {
        10 => "Ki",
        20 => "Mi",
        30 => "Gi",
        40 => "Ti",
        50 => "Pi",
        60 => "Ei",
        _ => "",
    }
}

/// `value × 10^shift`, or `None` on overflow.
fn scale_up(value: u128, shift: i32) -> Option<u128> {
    let factor = 10u128.checked_pow(u32::try_from(shift).ok()?)?;
    value.checked_mul(factor)
}

/// `value / 10^shift`, rounded away from zero (`inf.RoundUp`).
fn div_pow10_round_up(value: i128, shift: i32) -> i128 {
    let Some(divisor) = u32::try_from(shift)
        .ok()
        .and_then(|s| 10i128.checked_pow(s))
    else {
        return value.signum();
    };
    let q = value / divisor;
    if value % divisor == 0 {
        q
    } else {
        q + value.signum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        Quantity::parse(s).unwrap().canonical()
    }

    #[test]
    fn parse_and_emit_match_upstream() {
        // quantity_test.go TestQuantityParseEmit.
        for (input, want) in [
            ("1Ki", "1Ki"),
            ("1Mi", "1Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("1000M", "1G"),
            (".001Ki", "1024m"),
            (".000001Ki", "1024u"),
            (".000000001Ki", "1024n"),
            (".000000000001Ki", "2n"),
        ] {
            assert_eq!(canon(input), want, "{input}");
            assert_eq!(canon(&format!("-{input}")), format!("-{want}"), "-{input}");
        }
    }

    #[test]
    fn alternate_spellings_match_upstream() {
        // quantity_test.go TestQuantityString: each alternate spelling and its canonical form.
        for (alternate, want) in [
            ("1024Mi", "1Gi"),
            ("307200Ki", "300Mi"),
            ("1025024Mi", "1001Gi"),
            ("1024Gi", "1Ti"),
            ("5000m", "5"),
            ("0.5", "500m"),
            ("1000M", "1G"),
            ("0.001T", "1G"),
            ("1000u", "1m"),
            ("1.08", "1080m"),
            ("1080000000n", "1080m"),
            (".001e12", "1e9"),
            ("0.001e0", "1e-3"),
            ("1000e-12", "1e-9"),
            ("00", "0"),
        ] {
            assert_eq!(canon(alternate), want, "{alternate}");
        }
        // And canonical spellings come back unchanged.
        for canonical in [
            "1Gi", "300Mi", "6Ki", "1001Gi", "1Ti", "5", "500m", "1G", "1m", "80m", "1080m",
            "300M", "1T", "1E", "1234567M", "3k", "1025", "0", "1e9", "1e-3", "1e-9", "80e-3",
            "300e6", "1e12", "3e3", "1n", "80n", "1080n", "1u", "80u", "1080u",
        ] {
            assert_eq!(canon(canonical), canonical);
        }
    }

    #[test]
    fn everyday_quantities() {
        for (input, want) in [
            ("100m", "100m"),
            ("0.1", "100m"),
            ("1.5", "1500m"),
            ("1.5Gi", "1536Mi"),
            ("0.5Ki", "512"),
            ("1.5Ki", "1536"),
            ("0Mi", "0"),
            ("2000", "2k"),
            ("128Mi", "128Mi"),
            ("1e3", "1e3"),
            ("0.0000000001", "1n"),
        ] {
            assert_eq!(canon(input), want, "{input}");
        }
    }

    #[test]
    fn canonical_input_is_echoed_verbatim() {
        // Upstream keeps the original text when the fast path deems it canonical.
        assert_eq!(canon("+1Ki"), "+1Ki");
        assert_eq!(canon("0100m"), "0100m");
    }

    #[test]
    fn parse_errors() {
        assert_eq!(Quantity::parse("").unwrap_err(), QuantityError::FormatWrong);
        assert_eq!(
            Quantity::parse("abc").unwrap_err(),
            QuantityError::FormatWrong
        );
        assert_eq!(Quantity::parse("1K").unwrap_err(), QuantityError::Suffix);
        assert_eq!(
            Quantity::parse("1Mb").unwrap_err(),
            QuantityError::FormatWrong
        );
        // quantity_test.go TestQuantityParse's invalid inputs.
        for bad in [
            "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1",
            "1 ",
        ] {
            assert!(Quantity::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            QuantityError::FormatWrong.to_string(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
        );
    }

    #[test]
    fn comparison_and_rounding() {
        let a = Quantity::parse("500m").unwrap();
        let b = Quantity::parse("0.5").unwrap();
        assert_eq!(a.cmp_value(&b), Ordering::Equal);
        let c = Quantity::parse("1Gi").unwrap();
        let d = Quantity::parse("1G").unwrap();
        assert_eq!(c.cmp_value(&d), Ordering::Greater);
        assert_eq!(Quantity::parse("-1").unwrap().cmp_value(&a), Ordering::Less);
        let mut e = Quantity::parse("100u").unwrap();
        e.round_up_to_milli();
        assert_eq!(e.canonical(), "1m");
        assert_eq!(Quantity::parse("1500m").unwrap().milli_value(), 1500);
        assert_eq!(Quantity::parse("1.2").unwrap().value(), 2);
        assert_eq!(Quantity::parse("2Mi").unwrap().value(), 2 * 1024 * 1024);
    }
}
