//! Just enough of a PEM and X.509 reader for the node tools that look at certificates
//! (`kubeadm certs check-expiration`, etcdctl's TLS set-up): the DER is walked to the
//! TBSCertificate's validity and the subject's common name. Signatures are not checked (the
//! playground's certificates are structurally valid but their signatures are noise).

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

use crate::shell::commands::coreutils::base64_decode;

/// What the tools read from a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// `notBefore`.
    pub not_before: Timestamp,
    /// `notAfter`.
    pub not_after: Timestamp,
    /// The subject's common name.
    pub common_name: String,
    /// The issuer's common name.
    pub issuer_common_name: String,
}

/// The DER of every `CERTIFICATE` block in `pem`, in order.
pub fn pem_certificates(pem: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut body: Option<String> = None;
    for line in pem.lines() {
        let line = line.trim();
        if line == "-----BEGIN CERTIFICATE-----" {
            body = Some(String::new());
        } else if line == "-----END CERTIFICATE-----" {
            if let Some(text) = body.take() {
                if let Ok(der) = base64_decode(&text, false) {
                    out.push(der);
                }
            }
        } else if let Some(text) = body.as_mut() {
            text.push_str(line);
        }
    }
    out
}

/// Parses the first certificate of `pem`; `None` when there is none or it does not parse.
pub fn parse_pem(pem: &str) -> Option<Certificate> {
    pem_certificates(pem).first().and_then(|der| parse_der(der))
}

/// Parses a DER certificate.
pub fn parse_der(der: &[u8]) -> Option<Certificate> {
    let (certificate, _) = element(der, 0x30)?;
    let (tbs, _) = element(certificate, 0x30)?;
    let mut rest = tbs;
    // `[0] EXPLICIT Version` is optional.
    if rest.first() == Some(&0xa0) {
        rest = element(rest, 0xa0)?.1;
    }
    let (_serial, after) = element(rest, 0x02)?;
    let (_algorithm, after) = element(after, 0x30)?;
    let (issuer, after) = element(after, 0x30)?;
    let (validity, after) = element(after, 0x30)?;
    let (subject, _) = element(after, 0x30)?;
    let (not_before, rest) = time(validity)?;
    let (not_after, _) = time(rest)?;
    Some(Certificate {
        not_before,
        not_after,
        common_name: common_name(subject).unwrap_or_default(),
        issuer_common_name: common_name(issuer).unwrap_or_default(),
    })
}

/// One TLV of tag `tag` at the start of `data`: its content and what follows it.
fn element(data: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    if data.first() != Some(&tag) {
        return None;
    }
    let first = *data.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let mut len = 0usize;
        for idx in 0..count {
            len = (len << 8) | usize::from(*data.get(2 + idx)?);
        }
        (len, 2 + count)
    };
    let end = header.checked_add(len)?;
    if data.len() < end {
        return None;
    }
    Some((&data[header..end], &data[end..]))
}

/// A UTCTime (`YYMMDDHHMMSSZ`, years before 50 in the 2000s) or GeneralizedTime.
fn time(data: &[u8]) -> Option<(Timestamp, &[u8])> {
    let (text, rest, long) = match data.first() {
        Some(0x17) => {
            let (t, r) = element(data, 0x17)?;
            (t, r, false)
        }
        Some(0x18) => {
            let (t, r) = element(data, 0x18)?;
            (t, r, true)
        }
        _ => return None,
    };
    let text = std::str::from_utf8(text).ok()?.strip_suffix('Z')?;
    let (year, rest_digits) = if long {
        (text.get(..4)?.parse::<i16>().ok()?, text.get(4..)?)
    } else {
        let yy = text.get(..2)?.parse::<i16>().ok()?;
        (if yy < 50 { 2000 + yy } else { 1900 + yy }, text.get(2..)?)
    };
    let part = |at: usize| rest_digits.get(at..at + 2)?.parse::<i8>().ok();
    let civil = DateTime::new(year, part(0)?, part(2)?, part(4)?, part(6)?, part(8)?, 0).ok()?;
    let stamp = TimeZone::UTC.to_timestamp(civil).ok()?;
    Some((stamp, rest))
}

/// The last common name (OID 2.5.4.3) of a Name.
fn common_name(mut name: &[u8]) -> Option<String> {
    let mut found = None;
    while !name.is_empty() {
        let (set, rest) = element(name, 0x31)?;
        name = rest;
        let (pair, _) = element(set, 0x30)?;
        let (oid, value) = element(pair, 0x06)?;
        if oid == [0x55, 0x04, 0x03] {
            let tag = *value.first()?;
            let (text, _) = element(value, tag)?;
            found = Some(String::from_utf8_lossy(text).into_owned());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cluster_ca_reads_with_its_validity_and_name() {
        let pem = crate::cluster::defaults::control_plane_files()
            .into_iter()
            .find(|f| f.path == "/etc/kubernetes/pki/ca.crt")
            .map(|f| f.content.to_string())
            .unwrap_or_default();
        let cert = parse_pem(&pem).expect("ca.crt parses");
        assert_eq!(cert.common_name, "kubernetes");
        assert_eq!(cert.not_before.to_string(), "2026-11-15T09:02:12Z");
        assert_eq!(cert.not_after.to_string(), "2036-11-12T09:07:12Z");
        assert_eq!(parse_pem("not a certificate"), None);
    }
}
