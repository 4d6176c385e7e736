//! The images the emulated registries serve and the node's image store: reference parsing as
//! `distribution/reference` normalises names, pulls that take virtual time, and the pull errors
//! containerd reports.
//!
//! Simplified: the registries hold a fixed catalogue of commonly taught images. A digest or
//! image id is a stable hash of the reference, not a hash of real content.

use std::collections::BTreeMap;

use crate::node::cri::{ImageInfo, PullState};
use crate::sim::{SimDuration, SimTime};

/// What software an image ships, which decides what its processes do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImageKind {
    /// `registry.k8s.io/pause`.
    Pause,
    /// `registry.k8s.io/etcd`.
    Etcd,
    /// `registry.k8s.io/kube-apiserver`.
    KubeApiserver,
    /// `registry.k8s.io/kube-controller-manager`.
    KubeControllerManager,
    /// `registry.k8s.io/kube-scheduler`.
    KubeScheduler,
    /// `registry.k8s.io/kube-proxy`.
    KubeProxy,
    /// `registry.k8s.io/coredns/coredns`.
    CoreDns,
    /// `registry.k8s.io/e2e-test-images/agnhost`, the test server the Kubernetes docs use.
    Agnhost,
    /// `nginx`.
    Nginx,
    /// `httpd`.
    Httpd,
    /// `redis`.
    Redis,
    /// `memcached`.
    Memcached,
    /// `postgres`.
    Postgres,
    /// `mysql`.
    Mysql,
    /// `busybox`.
    Busybox,
    /// `alpine`.
    Alpine,
    /// `ubuntu` and `debian`.
    Debian,
    /// `python`.
    Python,
}

/// Which `/bin/sh` an image has, if any (error messages differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// No shell: distroless or scratch images.
    None,
    /// BusyBox `ash` (busybox, alpine): `sh: foo: not found`.
    Ash,
    /// Debian's `dash`: `sh: 1: foo: not found`.
    Dash,
}

impl ImageKind {
    /// The image's `/bin/sh`.
    pub fn shell(self) -> Shell {
        match self {
            ImageKind::Pause
            | ImageKind::Etcd
            | ImageKind::KubeApiserver
            | ImageKind::KubeControllerManager
            | ImageKind::KubeScheduler
            | ImageKind::KubeProxy
            | ImageKind::CoreDns => Shell::None,
            ImageKind::Busybox | ImageKind::Alpine | ImageKind::Agnhost => Shell::Ash,
            ImageKind::Nginx
            | ImageKind::Httpd
            | ImageKind::Redis
            | ImageKind::Memcached
            | ImageKind::Postgres
            | ImageKind::Mysql
            | ImageKind::Debian
            | ImageKind::Python => Shell::Dash,
        }
    }

    /// The OCI config's `Entrypoint` and `Cmd`.
    pub fn entrypoint_and_cmd(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            ImageKind::Pause => (&["/pause"], &[]),
            ImageKind::Etcd => (&[], &["/usr/local/bin/etcd"]),
            ImageKind::KubeApiserver => (&["/usr/local/bin/kube-apiserver"], &[]),
            ImageKind::KubeControllerManager => (&["/usr/local/bin/kube-controller-manager"], &[]),
            ImageKind::KubeScheduler => (&["/usr/local/bin/kube-scheduler"], &[]),
            ImageKind::KubeProxy => (&["/usr/local/bin/kube-proxy"], &[]),
            ImageKind::CoreDns => (&["/coredns"], &[]),
            ImageKind::Agnhost => (&["/agnhost"], &[]),
            ImageKind::Nginx => (&["/docker-entrypoint.sh"], &["nginx", "-g", "daemon off;"]),
            ImageKind::Httpd => (&[], &["httpd-foreground"]),
            ImageKind::Redis => (&["docker-entrypoint.sh"], &["redis-server"]),
            ImageKind::Memcached => (&["docker-entrypoint.sh"], &["memcached"]),
            ImageKind::Postgres => (&["docker-entrypoint.sh"], &["postgres"]),
            ImageKind::Mysql => (&["docker-entrypoint.sh"], &["mysqld"]),
            ImageKind::Busybox => (&[], &["sh"]),
            ImageKind::Alpine => (&[], &["/bin/sh"]),
            ImageKind::Debian => (&[], &["/bin/bash"]),
            ImageKind::Python => (&[], &["python3"]),
        }
    }

    /// The executables on the image's `PATH` besides the shell utilities.
    pub fn programs(self) -> &'static [&'static str] {
        match self {
            ImageKind::Pause => &["pause"],
            ImageKind::Etcd => &["etcd", "etcdctl", "etcdutl"],
            ImageKind::KubeApiserver => &["kube-apiserver"],
            ImageKind::KubeControllerManager => &["kube-controller-manager"],
            ImageKind::KubeScheduler => &["kube-scheduler"],
            ImageKind::KubeProxy => &["kube-proxy", "iptables", "ip6tables", "conntrack", "ipset"],
            ImageKind::CoreDns => &["coredns"],
            ImageKind::Agnhost => &["agnhost"],
            ImageKind::Nginx => &["nginx", "docker-entrypoint.sh", "curl"],
            ImageKind::Httpd => &["httpd", "httpd-foreground", "apachectl"],
            ImageKind::Redis => &["redis-server", "redis-cli", "docker-entrypoint.sh"],
            ImageKind::Memcached => &["memcached", "docker-entrypoint.sh"],
            ImageKind::Postgres => &["postgres", "psql", "pg_ctl", "docker-entrypoint.sh"],
            ImageKind::Mysql => &["mysqld", "mysql", "docker-entrypoint.sh"],
            ImageKind::Busybox => &["wget", "nc", "ping", "nslookup", "top", "vi"],
            ImageKind::Alpine => &["wget", "nc", "ping", "nslookup", "top", "vi", "apk"],
            ImageKind::Debian => &["bash", "apt-get", "apt"],
            ImageKind::Python => &["python", "python3", "pip", "bash"],
        }
    }

    /// The server version an image's processes report (nginx's banner, redis's log).
    pub fn version(self, tag: &str) -> &'static str {
        match (self, tag) {
            (ImageKind::Nginx, "1.27") => "1.27.5",
            (ImageKind::Nginx, "1.28" | "stable" | "stable-alpine") => "1.28.0",
            (ImageKind::Nginx, "1.25") => "1.25.5",
            (ImageKind::Nginx, "1.14.2") => "1.14.2",
            (ImageKind::Nginx, _) => "1.29.3",
            (ImageKind::Redis, "7") => "7.4.6",
            (ImageKind::Redis, _) => "8.2.3",
            (ImageKind::Httpd, _) => "2.4.65",
            (ImageKind::Etcd, "3.5.21-0") => "3.5.21",
            (ImageKind::Etcd, _) => "3.6.4",
            (ImageKind::CoreDns, "v1.11.3") => "1.11.3",
            (ImageKind::CoreDns, _) => "1.12.1",
            _ => "",
        }
    }
}

/// One image a registry serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogueImage {
    /// The repository, fully qualified (`docker.io/library/nginx`).
    pub repository: &'static str,
    /// The tag.
    pub tag: &'static str,
    /// The compressed size containerd reports, in bytes.
    pub size: u64,
    /// What it ships.
    pub kind: ImageKind,
}

impl CatalogueImage {
    /// `repository:tag`.
    pub fn reference(&self) -> String {
        format!("{}:{}", self.repository, self.tag)
    }

    /// The image id (`sha256:` + 64 hex digits), stable per reference.
    pub fn id(&self) -> String {
        format!("sha256:{}", stable_hex(&self.reference(), "config"))
    }

    /// The manifest digest reference (`repository@sha256:...`).
    pub fn digest_reference(&self) -> String {
        format!(
            "{}@sha256:{}",
            self.repository,
            stable_hex(&self.reference(), "manifest")
        )
    }

    /// The image as the CRI reports it.
    pub fn info(&self) -> ImageInfo {
        ImageInfo {
            id: self.id(),
            repo_tags: vec![self.reference()],
            repo_digests: vec![self.digest_reference()],
            size: self.size,
        }
    }
}

macro_rules! images {
    ($($repo:literal : [$($tag:literal = $size:literal),+] => $kind:ident;)+) => {
        &[$($(CatalogueImage { repository: $repo, tag: $tag, size: $size, kind: ImageKind::$kind },)+)+]
    };
}

/// Every image the emulated registries serve.
pub const CATALOGUE: &[CatalogueImage] = images! {
    "registry.k8s.io/pause": ["3.10.1" = 320_368, "3.10" = 320_368, "3.9" = 321_520] => Pause;
    "registry.k8s.io/etcd": ["3.6.4-0" = 22_869_579, "3.5.21-0" = 58_938_593] => Etcd;
    "registry.k8s.io/kube-apiserver": ["v1.34.1" = 27_061_991, "v1.34.0" = 27_057_846, "v1.34.2" = 27_063_812, "v1.33.5" = 30_075_233] => KubeApiserver;
    "registry.k8s.io/kube-controller-manager": ["v1.34.1" = 22_819_474, "v1.34.0" = 22_815_122, "v1.34.2" = 22_822_013, "v1.33.5" = 26_005_116] => KubeControllerManager;
    "registry.k8s.io/kube-scheduler": ["v1.34.1" = 17_385_568, "v1.34.0" = 17_381_264, "v1.34.2" = 17_388_140, "v1.33.5" = 20_172_958] => KubeScheduler;
    "registry.k8s.io/kube-proxy": ["v1.34.1" = 25_963_718, "v1.34.0" = 25_960_314, "v1.34.2" = 25_966_071, "v1.33.5" = 31_891_004] => KubeProxy;
    "registry.k8s.io/coredns/coredns": ["v1.12.1" = 22_384_805, "v1.11.3" = 18_562_039] => CoreDns;
    "registry.k8s.io/e2e-test-images/agnhost": ["2.40" = 51_155_161, "2.52" = 53_384_132, "2.53" = 53_962_440] => Agnhost;
    "registry.k8s.io/busybox": ["latest" = 1_144_547, "1.27.2" = 1_144_547] => Busybox;
    "docker.io/library/nginx": ["latest" = 59_774_010, "1.29" = 59_774_010, "1.29.3" = 59_774_010, "1.28" = 68_855_327, "stable" = 68_855_327, "1.27" = 72_099_501, "1.25" = 70_984_488, "1.14.2" = 44_710_204, "alpine" = 22_612_542, "1.29-alpine" = 22_612_542, "stable-alpine" = 21_977_331] => Nginx;
    "docker.io/library/httpd": ["latest" = 45_310_221, "2.4" = 45_310_221, "alpine" = 24_187_103] => Httpd;
    "docker.io/library/redis": ["latest" = 52_476_392, "8" = 52_476_392, "7" = 45_012_711, "alpine" = 26_703_115] => Redis;
    "docker.io/library/memcached": ["latest" = 32_913_008, "alpine" = 10_401_775] => Memcached;
    "docker.io/library/postgres": ["latest" = 158_441_019, "17" = 158_441_019, "16" = 153_080_377] => Postgres;
    "docker.io/library/mysql": ["latest" = 233_910_652, "8.4" = 233_910_652, "9" = 239_145_301] => Mysql;
    "docker.io/library/busybox": ["latest" = 2_224_358, "1.37" = 2_224_358, "1.36" = 2_157_734, "1.28" = 727_869, "stable" = 2_224_358] => Busybox;
    "docker.io/library/alpine": ["latest" = 3_799_528, "3.22" = 3_799_528, "3.21" = 3_644_214, "3.20" = 3_625_401] => Alpine;
    "docker.io/library/ubuntu": ["latest" = 29_723_147, "24.04" = 29_723_147, "22.04" = 29_538_961] => Debian;
    "docker.io/library/debian": ["latest" = 48_483_972, "bookworm" = 48_483_972, "bookworm-slim" = 28_227_259, "trixie" = 49_307_517] => Debian;
    "docker.io/library/python": ["latest" = 412_853_102, "3.13" = 412_853_102, "3.13-slim" = 41_233_809, "3.12" = 409_874_460] => Python;
};

/// A stable pseudo-digest: 64 hex digits derived from `text` (FNV-1a, four lanes).
fn stable_hex(text: &str, salt: &str) -> String {
    (0u64..4)
        .map(|lane| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ lane.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            for b in salt.bytes().chain([0]).chain(text.bytes()) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
            // One more mixing round so lanes differ in every digit.
            h ^= h >> 29;
            h = h.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            h ^= h >> 32;
            format!("{h:016x}")
        })
        .collect()
}

/// A parsed image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// The fully qualified repository (`docker.io/library/nginx`).
    pub repository: String,
    /// The tag (`latest` when none and no digest was given).
    pub tag: Option<String>,
    /// The digest (`sha256:...`), if one was given.
    pub digest: Option<String>,
}

impl ImageRef {
    /// The normalised reference: `repository:tag` or `repository@digest`.
    pub fn normalized(&self) -> String {
        match (&self.tag, &self.digest) {
            (_, Some(d)) => format!("{}@{d}", self.repository),
            (Some(t), None) => format!("{}:{t}", self.repository),
            (None, None) => self.repository.clone(),
        }
    }

    /// The registry host.
    pub fn registry(&self) -> &str {
        self.repository.split('/').next().unwrap_or_default()
    }
}

/// `reference.ParseNormalizedNamed` plus `TagNameOnly`: `nginx` → `docker.io/library/nginx:latest`.
/// The error is worded as the library words it.
pub fn parse_reference(image: &str) -> Result<ImageRef, String> {
    if image.is_empty() {
        return Err("invalid reference format".into());
    }
    let (rest, digest) = match image.split_once('@') {
        Some((name, digest)) => {
            let hex = digest.strip_prefix("sha256:").unwrap_or("");
            if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err("invalid reference format".into());
            }
            (name, Some(digest.to_string()))
        }
        None => (image, None),
    };
    // A tag follows the last ':' after the last '/'.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => (&rest[..last_slash + i], Some(&rest[last_slash + i + 1..])),
        None => (rest, None),
    };
    if let Some(tag) = tag {
        let valid = !tag.is_empty()
            && tag.len() <= 128
            && tag
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
            && !tag.starts_with(['.', '-']);
        if !valid {
            return Err("invalid reference format".into());
        }
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err("invalid reference format: repository name must be lowercase".into());
    }
    let components: Vec<&str> = name.split('/').collect();
    let has_domain = components.len() > 1
        && (components[0].contains(['.', ':']) || components[0] == "localhost");
    let path_components = if has_domain {
        &components[1..]
    } else {
        &components[..]
    };
    let path_ok = path_components.iter().all(|c| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
            && c.starts_with(|ch: char| ch.is_ascii_alphanumeric())
            && c.ends_with(|ch: char| ch.is_ascii_alphanumeric())
    });
    if !path_ok {
        return Err("invalid reference format".into());
    }
    let repository = if has_domain {
        name.to_string()
    } else if components.len() == 1 {
        format!("docker.io/library/{name}")
    } else {
        format!("docker.io/{name}")
    };
    let tag = match (tag, &digest) {
        (Some(t), _) => Some(t.to_string()),
        (None, None) => Some("latest".to_string()),
        (None, Some(_)) => None,
    };
    Ok(ImageRef {
        repository,
        tag,
        digest,
    })
}

/// Looks a reference up in the catalogue (by tag, or by manifest digest).
pub fn find_in_catalogue(reference: &ImageRef) -> Option<&'static CatalogueImage> {
    CATALOGUE.iter().find(|image| {
        image.repository == reference.repository
            && match (&reference.tag, &reference.digest) {
                (_, Some(digest)) => image.digest_reference().ends_with(digest.as_str()),
                (Some(tag), None) => image.tag == tag,
                (None, None) => false,
            }
    })
}

/// The error containerd gives for a reference the registries cannot resolve.
fn resolve_error(reference: &ImageRef) -> String {
    let full = reference.normalized();
    let registry = reference.registry();
    let repo_known = CATALOGUE
        .iter()
        .any(|i| i.repository == reference.repository);
    let cause = if registry == "docker.io" && !repo_known {
        "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".to_string()
    } else if registry == "docker.io" || registry == "registry.k8s.io" {
        format!("{full}: not found")
    } else {
        let path = reference.repository.split_once('/').map_or("", |(_, p)| p);
        let tag = reference
            .digest
            .clone()
            .or_else(|| reference.tag.clone())
            .unwrap_or_default();
        format!(
            "failed to do request: Head \"https://{registry}/v2/{path}/manifests/{tag}\": dial tcp: lookup {registry} on 127.0.0.53:53: no such host"
        )
    };
    let code = if cause.ends_with("not found") {
        "NotFound"
    } else {
        "Unknown"
    };
    format!(
        "rpc error: code = {code} desc = failed to pull and unpack image \"{full}\": failed to resolve reference \"{full}\": {cause}"
    )
}

/// A pull in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pull {
    done_at: SimTime,
    /// Set once `finish_due` has completed it; its outcome waits for the next `pull`.
    finished: bool,
    result: Result<&'static CatalogueImage, String>,
}

/// How long a pull of `size` bytes takes: a round trip plus 25 MB/s.
fn pull_duration(size: u64) -> SimDuration {
    SimDuration::from_millis(600 + size / 25_000)
}

/// How long a failing pull takes to fail.
const FAILED_PULL: SimDuration = SimDuration::from_millis(900);

/// The node's image store (containerd's `k8s.io` namespace).
#[derive(Debug, Clone, Default)]
pub struct ImageStore {
    /// Present images by image id.
    present: BTreeMap<String, &'static CatalogueImage>,
    pulls: BTreeMap<String, Pull>,
}

impl ImageStore {
    /// Makes a catalogue image present without a pull (images baked into the machine).
    pub fn preload(&mut self, reference: &str) -> Result<(), String> {
        let parsed = parse_reference(reference)?;
        let image = find_in_catalogue(&parsed).ok_or_else(|| resolve_error(&parsed))?;
        self.present.insert(image.id(), image);
        Ok(())
    }

    /// The present image `image` names: a reference, an image id or a unique id prefix.
    pub fn find(&self, image: &str) -> Option<&'static CatalogueImage> {
        if let Ok(parsed) = parse_reference(image) {
            if let Some(found) = self.present.values().find(|i| {
                i.repository == parsed.repository
                    && match (&parsed.tag, &parsed.digest) {
                        (_, Some(d)) => i.digest_reference().ends_with(d.as_str()),
                        (Some(t), None) => i.tag == t,
                        (None, None) => false,
                    }
            }) {
                return Some(found);
            }
        }
        let hex = image.strip_prefix("sha256:").unwrap_or(image);
        if hex.len() < 3 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let mut matches = self
            .present
            .iter()
            .filter(|(id, _)| id["sha256:".len()..].starts_with(hex))
            .map(|(_, i)| *i);
        let first = matches.next()?;
        matches.next().is_none().then_some(first)
    }

    /// `ImageStatus`.
    pub fn status(&self, image: &str) -> Option<ImageInfo> {
        self.find(image).map(CatalogueImage::info)
    }

    /// `ListImages`, one entry per present image, sorted by reference.
    pub fn list(&self) -> Vec<&'static CatalogueImage> {
        let mut images: Vec<&'static CatalogueImage> = self.present.values().copied().collect();
        images.sort_by_key(|i| i.reference());
        images
    }

    /// `PullImage`: starts a pull or reports on the one under way.
    pub fn pull(&mut self, now: SimTime, image: &str) -> PullState {
        let parsed = match parse_reference(image) {
            Ok(parsed) => parsed,
            Err(err) => {
                return PullState::Failed(format!(
                    "rpc error: code = InvalidArgument desc = failed to pull and unpack image \"{image}\": {err}"
                ))
            }
        };
        let key = parsed.normalized();
        let present = &self.present;
        let pull = self
            .pulls
            .entry(key)
            .or_insert_with(|| match find_in_catalogue(&parsed) {
                Some(found) => Pull {
                    // Layers already present are not fetched again: only the round trip.
                    done_at: now
                        + if present.contains_key(&found.id()) {
                            pull_duration(0)
                        } else {
                            pull_duration(found.size)
                        },
                    finished: false,
                    result: Ok(found),
                },
                None => Pull {
                    done_at: now + FAILED_PULL,
                    finished: false,
                    result: Err(resolve_error(&parsed)),
                },
            });
        if now < pull.done_at {
            return PullState::Pulling {
                done_at: pull.done_at,
            };
        }
        let done = self.pulls.remove(&parsed.normalized()).map(|p| p.result);
        match done {
            Some(Ok(found)) => {
                self.present.insert(found.id(), found);
                PullState::Done(found.info())
            }
            Some(Err(err)) => PullState::Failed(err),
            None => PullState::Failed("pull vanished".into()),
        }
    }

    /// When the earliest pull under way completes.
    pub fn next_pull_done(&self) -> Option<SimTime> {
        self.pulls
            .values()
            .filter(|p| !p.finished)
            .map(|p| p.done_at)
            .min()
    }

    /// Completes the pulls due by `now`, whether or not anyone still waits for them:
    /// containerd keeps an image it finished pulling even when the kubelet has moved on.
    /// The outcome stays for the next `pull` of the same reference; whether any finished.
    pub fn finish_due(&mut self, now: SimTime) -> bool {
        let mut finished = false;
        for pull in self.pulls.values_mut() {
            if pull.finished || pull.done_at > now {
                continue;
            }
            if let Ok(found) = pull.result {
                self.present.insert(found.id(), found);
            }
            pull.finished = true;
            finished = true;
        }
        finished
    }

    /// `RemoveImage`: removes a present image by reference or id; the images it removed.
    pub fn remove(&mut self, image: &str) -> Option<&'static CatalogueImage> {
        let found = self.find(image)?;
        self.present.remove(&found.id());
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_normalise_to_docker_hub_library() {
        let r = parse_reference("nginx").unwrap();
        assert_eq!(r.normalized(), "docker.io/library/nginx:latest");
        let r = parse_reference("bitnami/redis:7").unwrap();
        assert_eq!(r.normalized(), "docker.io/bitnami/redis:7");
        let r = parse_reference("registry.k8s.io/pause:3.10.1").unwrap();
        assert_eq!(r.normalized(), "registry.k8s.io/pause:3.10.1");
        let r = parse_reference("localhost:5000/app").unwrap();
        assert_eq!(r.normalized(), "localhost:5000/app:latest");
    }

    #[test]
    fn bad_references_are_rejected_with_the_library_wording() {
        assert_eq!(
            parse_reference("NGINX").unwrap_err(),
            "invalid reference format: repository name must be lowercase"
        );
        assert_eq!(
            parse_reference("nginx:").unwrap_err(),
            "invalid reference format"
        );
        assert_eq!(
            parse_reference("nginx::1").unwrap_err(),
            "invalid reference format"
        );
        assert_eq!(
            parse_reference("ng inx").unwrap_err(),
            "invalid reference format"
        );
    }

    #[test]
    fn a_pull_takes_time_then_makes_the_image_present() {
        let mut store = ImageStore::default();
        let PullState::Pulling { done_at } = store.pull(SimTime::ZERO, "nginx") else {
            panic!("expected a pull under way");
        };
        assert!(
            done_at > SimTime(2000) && done_at < SimTime(4000),
            "{done_at:?}"
        );
        assert!(store.status("nginx:latest").is_none());
        let PullState::Done(info) = store.pull(done_at, "nginx:latest") else {
            panic!("expected the pull to be done");
        };
        assert_eq!(info.repo_tags, vec!["docker.io/library/nginx:latest"]);
        assert_eq!(store.status("docker.io/library/nginx").unwrap().id, info.id);
        assert_eq!(store.status(&info.id[7..20]).unwrap().id, info.id);
    }

    #[test]
    fn an_abandoned_pull_still_finishes_and_stops_asking_for_time() {
        let mut store = ImageStore::default();
        let PullState::Pulling { done_at } = store.pull(SimTime::ZERO, "nginx") else {
            panic!("expected a pull under way");
        };
        assert_eq!(store.next_pull_done(), Some(done_at));
        assert!(!store.finish_due(SimTime(done_at.0 - 1)));
        assert!(store.finish_due(done_at));
        assert_eq!(
            store.next_pull_done(),
            None,
            "a finished pull needs no more wake-ups"
        );
        assert!(store.status("nginx").is_some());
        // Pulling a present image again only costs the round trip.
        assert!(matches!(store.pull(done_at, "nginx"), PullState::Done(_)));
        let again = SimTime(done_at.0 + 10_000);
        let PullState::Pulling { done_at: second } = store.pull(again, "nginx") else {
            panic!("expected a pull under way");
        };
        assert_eq!(second.since(again), pull_duration(0));
    }

    #[test]
    fn unknown_images_fail_with_containerds_messages() {
        let mut store = ImageStore::default();
        let _ = store.pull(SimTime::ZERO, "nginx:1.99");
        let PullState::Failed(err) = store.pull(SimTime(5000), "nginx:1.99") else {
            panic!("expected failure");
        };
        assert_eq!(
            err,
            "rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.99\": failed to resolve reference \"docker.io/library/nginx:1.99\": docker.io/library/nginx:1.99: not found"
        );
        let _ = store.pull(SimTime::ZERO, "ngnix");
        let PullState::Failed(err) = store.pull(SimTime(5000), "ngnix") else {
            panic!("expected failure");
        };
        assert!(err.ends_with("pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"), "{err}");
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let ids: std::collections::BTreeSet<String> = CATALOGUE.iter().map(|i| i.id()).collect();
        assert_eq!(ids.len(), CATALOGUE.len());
        assert_eq!(CATALOGUE[0].id(), CATALOGUE[0].id());
        assert_eq!(CATALOGUE[0].id().len(), 71);
    }
}
