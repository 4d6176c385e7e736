//! `kubeadm certs` (kubeadm v1.34, `cmd/kubeadm/app/cmd/certs.go` and
//! `phases/certs/renewal/manager.go`): `check-expiration` reads the certificates of the
//! node's PKI under `/etc/kubernetes/pki` and the client certificates embedded in
//! `admin.conf`, `super-admin.conf`, `controller-manager.conf` and `scheduler.conf`, and prints
//! when each expires and how long it has left on the node's clock.
//!
//! Before the tables kubeadm reads its configuration: through `/etc/kubernetes/admin.conf`
//! from the `kubeadm-config` ConfigMap when the API server answers (two lines), falling back
//! to its defaults with a third line when it does not, and silently when there is no
//! admin.conf (a worker). A certificate file that is missing is listed `!MISSING!`; one that
//! does not parse fails the command. A CA whose key is missing is "externally managed", which
//! kubeadm accepts only when the certificates it signed are there.
//!
//! Simplified: an unanswered configuration read fails at once (kubeadm retries for a few
//! seconds); the external-CA check looks for the signed certificate only (kubeadm also
//! verifies it against the CA); `renew`, `certificate-key` and `generate-csr` are not offered.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::Value;

use super::kubeadm_config::STACK;
use super::x509::parse_pem;
use crate::apiserver::store::{ObjectKey, Resource};
use crate::shell::commands::kubectl::connection::{ConfigSource, Connection};
use crate::shell::commands::kubectl::tabwriter::{align, TabConfig};
use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::wallclock::timestamp;

/// `tabwriter.NewWriter(out, 10, 4, 3, ' ', 0)`.
const TABLE: TabConfig = TabConfig {
    min_width: 10,
    tab_width: 4,
    padding: 3,
    pad_char: ' ',
    remember_widths: false,
};

/// The PKI directory (`certificatesDir`).
const PKI: &str = "/etc/kubernetes/pki";
/// The kubeconfig kubeadm reads its configuration through.
const ADMIN_CONF: &str = "/etc/kubernetes/admin.conf";

/// Where a certificate lives.
enum Source {
    /// A PEM file under the PKI directory, by base name (`etcd/server`).
    Pki(&'static str),
    /// The client certificate embedded in a kubeconfig under `/etc/kubernetes`.
    Kubeconfig(&'static str),
}

/// The certificates kubeadm checks, by name, with the CA that signs each.
const CERTIFICATES: &[(&str, Source, &str)] = &[
    ("admin.conf", Source::Kubeconfig("admin.conf"), "ca"),
    ("apiserver", Source::Pki("apiserver"), "ca"),
    (
        "apiserver-etcd-client",
        Source::Pki("apiserver-etcd-client"),
        "etcd-ca",
    ),
    (
        "apiserver-kubelet-client",
        Source::Pki("apiserver-kubelet-client"),
        "ca",
    ),
    (
        "controller-manager.conf",
        Source::Kubeconfig("controller-manager.conf"),
        "ca",
    ),
    (
        "etcd-healthcheck-client",
        Source::Pki("etcd/healthcheck-client"),
        "etcd-ca",
    ),
    ("etcd-peer", Source::Pki("etcd/peer"), "etcd-ca"),
    ("etcd-server", Source::Pki("etcd/server"), "etcd-ca"),
    (
        "front-proxy-client",
        Source::Pki("front-proxy-client"),
        "front-proxy-ca",
    ),
    ("scheduler.conf", Source::Kubeconfig("scheduler.conf"), "ca"),
    (
        "super-admin.conf",
        Source::Kubeconfig("super-admin.conf"),
        "ca",
    ),
];

/// The CAs, by name and base name.
const CAS: &[(&str, &str)] = &[
    ("ca", "ca"),
    ("etcd-ca", "etcd/ca"),
    ("front-proxy-ca", "front-proxy-ca"),
];

/// `kubeadm certs ARGS...`.
pub fn certs(world: &World<'_>, args: &[&str]) -> Output {
    match args {
        // `certs` has no run function of its own: cobra answers with its help.
        [] | ["-h" | "--help", ..] => Output::ok(CERTS_HELP),
        ["check-expiration", rest @ ..] => match rest {
            [] => check_expiration(world),
            ["-h" | "--help", ..] => Output::ok(CHECK_HELP),
            [flag, ..] if flag.starts_with('-') => Output::err(
                format!(
                    "kubeadm: \"certs check-expiration {flag}\" is not supported in the playground; run it without flags\n"
                ),
                1,
            ),
            [extra, ..] => Output::err(
                format!("unknown command \"{extra}\" for \"kubeadm certs check-expiration\"\n{STACK}"),
                1,
            ),
        },
        [sub @ ("renew" | "certificate-key" | "generate-csr"), ..] => Output::err(
            format!(
                "kubeadm: \"certs {sub}\" is not supported in the playground; supported: certs check-expiration\n"
            ),
            1,
        ),
        [_, ..] => Output::ok(CERTS_HELP),
    }
}

/// `kubeadm certs check-expiration`.
fn check_expiration(world: &World<'_>) -> Output {
    let fs = &world.cluster.host(world.host).node.fs;
    let now = timestamp(world.cluster.now());
    let mut out = Output::default();
    if fs.exists(ADMIN_CONF) {
        out.stdout.push_str("[check-expiration] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"...\n[check-expiration] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.\n");
        if config_readable(world) {
            out.stdout.push('\n');
        } else {
            out.stdout.push_str("[check-expiration] Error reading configuration from the Cluster. Falling back to default configuration\n\n");
        }
    }
    let read = |path: &str| fs.read_to_string(path).ok();
    let mut rows = vec![
        "CERTIFICATE\tEXPIRES\tRESIDUAL TIME\tCERTIFICATE AUTHORITY\tEXTERNALLY MANAGED"
            .to_string(),
    ];
    for (name, source, ca) in CERTIFICATES {
        let (path, text) = match source {
            Source::Pki(base) => {
                let path = format!("{PKI}/{base}.crt");
                let text = read(&path);
                (path, text)
            }
            Source::Kubeconfig(file) => {
                let path = format!("/etc/kubernetes/{file}");
                let text = read(&path);
                (path, text)
            }
        };
        let Some(text) = text else {
            rows.push(format!("!MISSING! {name}\t\t\t\t"));
            continue;
        };
        let external = match externally_managed(world, ca_base(ca)) {
            Ok(external) => external,
            Err(message) => return fail(out, &message),
        };
        let pem = match source {
            Source::Pki(_) => Ok(text),
            Source::Kubeconfig(_) => embedded_certificate(&text, &path),
        };
        let parsed = pem.and_then(|pem| {
            parse_pem(&pem).ok_or_else(|| match source {
                Source::Pki(base) => format!(
                    "failed to load existing certificate {base}: data does not contain any valid RSA or ECDSA certificates"
                ),
                Source::Kubeconfig(_) => {
                    format!("failed to parse certificate embedded in {path}")
                }
            })
        });
        match parsed {
            Ok(cert) => rows.push(row(name, cert.not_after, now, Some(ca), external)),
            Err(message) => return fail(out, &message),
        }
    }
    rows.push(String::new());
    // tabwriter flushes at the empty line: the first table is out before the CAs are read.
    out.stdout.push_str(&table(&rows));
    let mut rows =
        vec!["CERTIFICATE AUTHORITY\tEXPIRES\tRESIDUAL TIME\tEXTERNALLY MANAGED".to_string()];
    for (name, base) in CAS {
        let Some(text) = read(&format!("{PKI}/{base}.crt")) else {
            rows.push(format!("!MISSING! {name}\t\t\t"));
            continue;
        };
        let external = match externally_managed(world, base) {
            Ok(external) => external,
            Err(message) => return fail(out, &message),
        };
        match parse_pem(&text) {
            Some(cert) => rows.push(row(name, cert.not_after, now, None, external)),
            None => {
                return fail(
                    out,
                    &format!(
                        "failed to load existing certificate {base}: data does not contain any valid RSA or ECDSA certificates"
                    ),
                )
            }
        }
    }
    out.stdout.push_str(&table(&rows));
    out
}

/// The rows through the tab writer.
fn table(rows: &[String]) -> String {
    let mut text = rows.join("\n");
    text.push('\n');
    align(TABLE, &text)
}

/// An error after some output: the rows of the table being written stay in tabwriter's
/// buffer (never flushed), the message goes to stderr.
fn fail(mut out: Output, message: &str) -> Output {
    out.stderr_after_stdout(&format!("{message}\n{STACK}"));
    out.code = 1;
    out
}

/// The base name of CA `name`.
fn ca_base(name: &str) -> &'static str {
    CAS.iter()
        .find(|(ca, _)| *ca == name)
        .map_or("ca", |(_, base)| base)
}

/// `Manager.IsExternallyManaged`: the etcd CA never is; the cluster and front-proxy CAs are
/// when their key is missing, which needs the certificate they sign to be there.
fn externally_managed(world: &World<'_>, base: &str) -> Result<bool, String> {
    let fs = &world.cluster.host(world.host).node.fs;
    let (signed, ux) = match base {
        "ca" => ("apiserver", "API server"),
        "front-proxy-ca" => ("front-proxy-client", "front-proxy client"),
        _ => return Ok(false),
    };
    if fs.exists(&format!("{PKI}/{base}.key")) {
        return Ok(false);
    }
    let cert = format!("{PKI}/{signed}.crt");
    if !fs.exists(&cert) {
        return Err(format!(
            "Error checking external CA condition for {base} certificate authority: failure loading certificate for {ux}: couldn't load the certificate file {cert}: open {cert}: no such file or directory"
        ));
    }
    Ok(true)
}

/// The client certificate embedded in a kubeconfig: the current context's user's
/// `client-certificate-data`.
fn embedded_certificate(text: &str, path: &str) -> Result<String, String> {
    let config: Value = crate::yaml::from_str(text)
        .map_err(|_| format!("failed to load kubeConfig file {path}"))?;
    let context = config
        .get("current-context")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let user = config
        .get("contexts")
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter()
                .find(|c| c.get("name").and_then(Value::as_str) == Some(context))
        })
        .and_then(|c| c.pointer("/context/user"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    let data = config
        .get("users")
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter()
                .find(|u| u.get("name").and_then(Value::as_str) == Some(user))
        })
        .and_then(|u| u.pointer("/user/client-certificate-data"))
        .and_then(Value::as_str)
        .ok_or_else(|| format!("failed to find certificate embedded in kubeConfig file {path}"))?;
    let bytes = crate::shell::commands::coreutils::base64_decode(data, false)
        .map_err(|_| format!("failed to decode certificate embedded in kubeConfig file {path}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// One table row; the last cell is padded as `%-8v` pads it.
fn row(name: &str, expires: Timestamp, now: Timestamp, ca: Option<&str>, external: bool) -> String {
    let when = TimeZone::UTC.to_datetime(expires);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let date = format!(
        "{} {:02}, {} {:02}:{:02} UTC",
        MONTHS[usize::try_from(when.month() - 1).unwrap_or(0)],
        when.day(),
        when.year(),
        when.hour(),
        when.minute()
    );
    let left = short_human_duration(expires.as_second() - now.as_second());
    let yes_no = format!("{:<8}", if external { "yes" } else { "no" });
    match ca {
        Some(ca) => format!("{name}\t{date}\t{left}\t{ca}\t{yes_no}"),
        None => format!("{name}\t{date}\t{left}\t{yes_no}"),
    }
}

/// `duration.ShortHumanDuration` of `seconds`.
fn short_human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".to_string();
    }
    if seconds < 0 {
        return "0s".to_string();
    }
    if seconds < 60 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 60 {
        return format!("{minutes}m");
    }
    let hours = minutes / 60;
    if hours < 24 {
        return format!("{hours}h");
    }
    if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    format!("{}y", hours / 24 / 365)
}

/// Whether kubeadm's read of the `kubeadm-config` ConfigMap through admin.conf succeeds.
fn config_readable(world: &World<'_>) -> bool {
    let source = ConfigSource {
        explicit: Some(ADMIN_CONF),
        context: None,
        env: None,
        home: "/root",
        cwd: "/",
    };
    let Ok(conn) = Connection::resolve(world.cluster, world.host, &source) else {
        return false;
    };
    let key = ObjectKey::new(Resource::ConfigMaps, "kube-system", "kubeadm-config");
    conn.reachable(world.cluster) && world.cluster.api().store().get_value(&key).is_some()
}

/// `kubeadm certs --help`.
const CERTS_HELP: &str = "Commands related to handling Kubernetes certificates

Usage:
  kubeadm certs [command]

Aliases:
  certs, certificates

Available Commands:
  certificate-key  Generate certificate keys
  check-expiration Check certificates expiration for a Kubernetes cluster
  generate-csr     Generate keys and certificate signing requests
  renew            Renew certificates for a Kubernetes cluster

Flags:
  -h, --help   help for certs

Global Flags:
      --rootfs string   [EXPERIMENTAL] The path to the 'real' host root filesystem. This will cause kubeadm to chroot into the provided path.

Use \"kubeadm certs [command] --help\" for more information about a command.
";

/// `kubeadm certs check-expiration --help`.
const CHECK_HELP: &str = "Checks expiration for the certificates in the local PKI managed by kubeadm.

Usage:
  kubeadm certs check-expiration [flags]

Flags:
      --allow-missing-template-keys   If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats. (default true)
      --cert-dir string               The path where to save the certificates (default \"/etc/kubernetes/pki\")
      --config string                 Path to a kubeadm configuration file.
  -h, --help                          help for check-expiration
      --kubeconfig string             The kubeconfig file to use when talking to the cluster. If the flag is not set, a set of standard locations can be searched for an existing kubeconfig file. (default \"/etc/kubernetes/admin.conf\")
  -o, --output string                 Output format. One of: text|json|yaml|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file. (default \"text\")
      --show-managed-fields           If true, keep the managedFields when printing objects in JSON or YAML format.

Global Flags:
      --rootfs string   [EXPERIMENTAL] The path to the 'real' host root filesystem. This will cause kubeadm to chroot into the provided path.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn residual_time_is_kubeadms_short_human_duration() {
        assert_eq!(short_human_duration(-5), "<invalid>");
        assert_eq!(short_human_duration(59), "59s");
        assert_eq!(short_human_duration(3600 * 5), "5h");
        assert_eq!(short_human_duration(86400 * 357 + 7), "357d");
        assert_eq!(short_human_duration(86400 * 3640), "9y");
        assert_eq!(short_human_duration(86400 * 3650), "10y");
    }
}
