//! A container's view of files: its image's files, a private writable layer, and the bind
//! mounts the kubelet asked for, which reach through to the host's filesystem.
//!
//! Simplified: an image carries only the handful of files lessons read (`index.html`,
//! `nginx.conf`, `/etc/os-release`); everything else a process writes stays in the layer.

use std::collections::BTreeMap;

use crate::node::cri::Mount;
use crate::node::fs::{Fs, FsError, WriteMode};
use crate::node::runtime::images::ImageKind;
use crate::sim::SimTime;

/// One entry of the writable layer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File(String),
    Dir,
    /// Deleted from the image.
    Whiteout,
}

/// Where a container path lives.
enum Location {
    Host { path: String, readonly: bool },
    Layer(String),
}

/// A failed file operation, worded as a shell utility words it after the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// No such file or directory.
    NotFound,
    /// Is a directory.
    IsDirectory,
    /// Read-only file system.
    ReadOnly,
    /// Not a directory.
    NotDirectory,
    /// Directory not empty.
    NotEmpty,
}

impl FileError {
    /// The `strerror` text.
    pub fn text(&self) -> &'static str {
        match self {
            FileError::NotFound => "No such file or directory",
            FileError::IsDirectory => "Is a directory",
            FileError::ReadOnly => "Read-only file system",
            FileError::NotDirectory => "Not a directory",
            FileError::NotEmpty => "Directory not empty",
        }
    }
}

impl From<FsError> for FileError {
    fn from(err: FsError) -> Self {
        match err {
            FsError::IsADirectory => FileError::IsDirectory,
            FsError::NotADirectory => FileError::NotDirectory,
            FsError::DirectoryNotEmpty => FileError::NotEmpty,
            _ => FileError::NotFound,
        }
    }
}

/// A container's filesystem.
#[derive(Debug, Clone)]
pub struct RootFs {
    kind: ImageKind,
    version: &'static str,
    hostname: String,
    layer: BTreeMap<String, Entry>,
    mounts: Vec<Mount>,
}

/// Directories every image has.
const BASE_DIRS: &[&str] = &[
    "/",
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/proc",
    "/root",
    "/run",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/local",
    "/usr/local/bin",
    "/usr/share",
    "/var",
    "/var/log",
    "/var/run",
];

impl RootFs {
    /// The filesystem of a new container of `kind` with `mounts`.
    pub fn new(kind: ImageKind, version: &'static str, hostname: &str, mounts: &[Mount]) -> RootFs {
        RootFs {
            kind,
            version,
            hostname: hostname.to_string(),
            layer: BTreeMap::new(),
            mounts: mounts.to_vec(),
        }
    }

    fn locate(&self, path: &str) -> Location {
        let path = normalize(path);
        let mount = self
            .mounts
            .iter()
            .filter(|m| {
                let mp = m.container_path.trim_end_matches('/');
                path == mp || path.starts_with(&format!("{mp}/"))
            })
            .max_by_key(|m| m.container_path.len());
        match mount {
            Some(m) => {
                let rest = &path[m.container_path.trim_end_matches('/').len()..];
                Location::Host {
                    path: format!("{}{rest}", m.host_path.trim_end_matches('/')),
                    readonly: m.readonly,
                }
            }
            None => Location::Layer(path),
        }
    }

    /// The file's content.
    pub fn read(&self, host: &Fs, path: &str) -> Result<String, FileError> {
        match self.locate(path) {
            Location::Host { path, .. } => {
                if host.stat(&path).map(|m| m.is_dir()).unwrap_or(false) {
                    return Err(FileError::IsDirectory);
                }
                Ok(host.read_to_string(&path)?)
            }
            Location::Layer(path) => match self.layer.get(&path) {
                Some(Entry::File(content)) => Ok(content.clone()),
                Some(Entry::Dir) => Err(FileError::IsDirectory),
                Some(Entry::Whiteout) => Err(FileError::NotFound),
                None if self.image_dir(&path) => Err(FileError::IsDirectory),
                None => self.image_file(&path).ok_or(FileError::NotFound),
            },
        }
    }

    /// Whether something exists at `path`; `Some(true)` for a directory.
    pub fn kind_of(&self, host: &Fs, path: &str) -> Option<bool> {
        match self.locate(path) {
            Location::Host { path, .. } => host.stat(&path).ok().map(|m| m.is_dir()),
            Location::Layer(path) => match self.layer.get(&path) {
                Some(Entry::File(_)) => Some(false),
                Some(Entry::Dir) => Some(true),
                Some(Entry::Whiteout) => None,
                None if self.image_dir(&path) => Some(true),
                None => self.image_file(&path).map(|_| false),
            },
        }
    }

    fn parent_is_dir(&self, host: &Fs, path: &str) -> bool {
        let parent = match path.rfind('/') {
            Some(0) => "/",
            Some(i) => &path[..i],
            None => return false,
        };
        self.kind_of(host, parent) == Some(true)
    }

    /// Writes (or appends to) a file.
    pub fn write(
        &mut self,
        host: &mut Fs,
        now: SimTime,
        path: &str,
        data: &str,
        append: bool,
    ) -> Result<(), FileError> {
        match self.locate(path) {
            Location::Host { readonly: true, .. } => Err(FileError::ReadOnly),
            Location::Host { path, .. } => {
                let mode = if append {
                    WriteMode::Append
                } else {
                    WriteMode::Truncate
                };
                Ok(host.write(now, &path, data.as_bytes(), mode)?)
            }
            Location::Layer(path) => {
                if !self.parent_is_dir(host, &path) {
                    return Err(FileError::NotFound);
                }
                if self.kind_of(host, &path) == Some(true) {
                    return Err(FileError::IsDirectory);
                }
                let mut content = if append {
                    self.read(host, &path).unwrap_or_default()
                } else {
                    String::new()
                };
                content.push_str(data);
                self.layer.insert(path, Entry::File(content));
                Ok(())
            }
        }
    }

    /// Creates a directory (and its parents with `parents`).
    pub fn mkdir(
        &mut self,
        host: &mut Fs,
        now: SimTime,
        path: &str,
        parents: bool,
    ) -> Result<(), FileError> {
        match self.locate(path) {
            Location::Host { readonly: true, .. } => Err(FileError::ReadOnly),
            Location::Host { path, .. } => {
                if parents {
                    Ok(host.mkdir_all(now, &path)?)
                } else {
                    Ok(host.mkdir(now, &path)?)
                }
            }
            Location::Layer(path) => {
                if parents {
                    let mut prefix = String::new();
                    for part in path.split('/').filter(|p| !p.is_empty()) {
                        prefix = format!("{prefix}/{part}");
                        if self.kind_of(host, &prefix).is_none() {
                            self.layer.insert(prefix.clone(), Entry::Dir);
                        }
                    }
                    return Ok(());
                }
                if !self.parent_is_dir(host, &path) {
                    return Err(FileError::NotFound);
                }
                self.layer.insert(path, Entry::Dir);
                Ok(())
            }
        }
    }

    /// Removes a file (or, with `recursive`, a tree).
    pub fn remove(
        &mut self,
        host: &mut Fs,
        now: SimTime,
        path: &str,
        recursive: bool,
    ) -> Result<(), FileError> {
        match self.locate(path) {
            Location::Host { readonly: true, .. } => Err(FileError::ReadOnly),
            Location::Host { path, .. } => {
                let is_dir = host.stat(&path)?.is_dir();
                if is_dir && !recursive {
                    return Err(FileError::IsDirectory);
                }
                if is_dir {
                    Ok(host.remove_all(now, &path)?)
                } else {
                    Ok(host.remove_file(now, &path)?)
                }
            }
            Location::Layer(path) => match self.kind_of(host, &path) {
                None => Err(FileError::NotFound),
                Some(true) if !recursive => Err(FileError::IsDirectory),
                Some(_) => {
                    let children: Vec<String> = self
                        .layer
                        .keys()
                        .filter(|k| k.starts_with(&format!("{path}/")))
                        .cloned()
                        .collect();
                    for child in children {
                        self.layer.insert(child, Entry::Whiteout);
                    }
                    self.layer.insert(path, Entry::Whiteout);
                    Ok(())
                }
            },
        }
    }

    /// The names in a directory, sorted.
    pub fn list(&self, host: &Fs, path: &str) -> Result<Vec<String>, FileError> {
        match self.locate(path) {
            Location::Host { path, .. } => {
                Ok(host.read_dir(&path)?.into_iter().map(|e| e.name).collect())
            }
            Location::Layer(path) => {
                if self.kind_of(host, &path) != Some(true) {
                    return match self.kind_of(host, &path) {
                        Some(false) => Ok(vec![path.rsplit('/').next().unwrap_or("").into()]),
                        _ => Err(FileError::NotFound),
                    };
                }
                let prefix = if path == "/" {
                    "/".to_string()
                } else {
                    format!("{path}/")
                };
                let mut names: Vec<String> = Vec::new();
                let image_paths = BASE_DIRS
                    .iter()
                    .map(|s| s.to_string())
                    .chain(self.image_paths().into_iter().map(String::from));
                for candidate in image_paths.chain(self.layer.keys().cloned()) {
                    if let Some(rest) = candidate.strip_prefix(&prefix) {
                        let name = rest.split('/').next().unwrap_or("");
                        if !name.is_empty()
                            && self.kind_of(host, &format!("{prefix}{name}")).is_some()
                        {
                            names.push(name.to_string());
                        }
                    }
                }
                for m in &self.mounts {
                    if let Some(rest) = m.container_path.strip_prefix(&prefix) {
                        let name = rest.split('/').next().unwrap_or("");
                        if !name.is_empty() {
                            names.push(name.to_string());
                        }
                    }
                }
                names.sort();
                names.dedup();
                Ok(names)
            }
        }
    }

    fn image_dir(&self, path: &str) -> bool {
        BASE_DIRS.contains(&path)
            || self
                .image_paths()
                .iter()
                .any(|p| p.starts_with(&format!("{path}/")))
            || self
                .mounts
                .iter()
                .any(|m| m.container_path.starts_with(&format!("{path}/")))
    }

    fn image_paths(&self) -> Vec<&'static str> {
        let mut paths = vec![
            "/etc/hostname",
            "/etc/hosts",
            "/etc/os-release",
            "/etc/passwd",
            // procfs, mounted by the runtime: the host's kernel.
            "/proc/version",
        ];
        match self.kind {
            ImageKind::Nginx => paths.extend([
                "/etc/nginx/nginx.conf",
                "/etc/nginx/conf.d/default.conf",
                "/usr/share/nginx/html/index.html",
                "/usr/share/nginx/html/50x.html",
            ]),
            ImageKind::Httpd => paths.push("/usr/local/apache2/htdocs/index.html"),
            _ => (),
        }
        paths
    }

    /// The content of a file the image ships.
    fn image_file(&self, path: &str) -> Option<String> {
        if !self.image_paths().contains(&path) {
            return None;
        }
        Some(match path {
            "/etc/hostname" => format!("{}\n", self.hostname),
            "/etc/hosts" => format!(
                "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n{}\n",
                self.hostname
            ),
            "/etc/passwd" => "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n".into(),
            "/etc/os-release" => os_release(self.kind).into(),
            "/proc/version" => crate::node::kernel::proc_version(),
            "/etc/nginx/nginx.conf" => NGINX_CONF.into(),
            "/etc/nginx/conf.d/default.conf" => NGINX_DEFAULT_CONF.into(),
            "/usr/share/nginx/html/index.html" => NGINX_INDEX.into(),
            "/usr/share/nginx/html/50x.html" => NGINX_50X.into(),
            "/usr/local/apache2/htdocs/index.html" => "<html><body><h1>It works!</h1></body></html>\n".into(),
            _ => return None,
        })
        .map(|s: String| {
            if self.kind == ImageKind::Nginx && !self.version.is_empty() {
                s.replace("{nginx_version}", self.version)
            } else {
                s
            }
        })
    }
}

/// Collapses `.`/`..`/repeated slashes of an absolute path.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => (),
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn os_release(kind: ImageKind) -> &'static str {
    match kind {
        ImageKind::Alpine => "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.2\nPRETTY_NAME=\"Alpine Linux v3.22\"\n",
        ImageKind::Busybox | ImageKind::Agnhost => "NAME=\"BusyBox\"\nID=busybox\n",
        ImageKind::Pause
        | ImageKind::Etcd
        | ImageKind::KubeApiserver
        | ImageKind::KubeControllerManager
        | ImageKind::KubeScheduler
        | ImageKind::KubeProxy
        | ImageKind::CoreDns => "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\n",
        _ => "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"13\"\nVERSION=\"13 (trixie)\"\nID=debian\n",
    }
}

const NGINX_INDEX: &str = "<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, nginx is successfully installed and working.
Further configuration is required for the web server, reverse proxy, 
API gateway, load balancer, content cache, or other features.</p>

<p>For online documentation and support please refer to
<a href=\"https://nginx.org/\">nginx.org</a>.<br/>
To engage with the community please visit
<a href=\"https://community.nginx.org/\">community.nginx.org</a>.<br/>
For enterprise grade support, professional services, additional 
security features and capabilities please refer to
<a href=\"https://f5.com/nginx\">f5.com/nginx</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
";

const NGINX_50X: &str = "<!DOCTYPE html>
<html>
<head>
<title>Error</title>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
</body>
</html>
";

const NGINX_CONF: &str = "
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] \"$request\" '
                      '$status $body_bytes_sent \"$http_referer\" '
                      '\"$http_user_agent\" \"$http_x_forwarded_for\"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
";

const NGINX_DEFAULT_CONF: &str = "server {
    listen       80;
    listen  [::]:80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
";

#[cfg(test)]
mod tests {
    use super::*;

    fn mounts() -> Vec<Mount> {
        vec![Mount {
            container_path: "/data".into(),
            host_path: "/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/data".into(),
            readonly: false,
        }]
    }

    #[test]
    fn writes_under_a_mount_reach_the_host() {
        let mut host = Fs::default();
        host.mkdir_all(
            SimTime::ZERO,
            "/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/data",
        )
        .unwrap();
        let mut root = RootFs::new(ImageKind::Busybox, "", "web", &mounts());
        root.write(&mut host, SimTime::ZERO, "/data/out.txt", "hi\n", true)
            .unwrap();
        assert_eq!(
            host.read_to_string(
                "/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/data/out.txt"
            )
            .unwrap(),
            "hi\n"
        );
        assert_eq!(root.read(&host, "/data/out.txt").unwrap(), "hi\n");
    }

    #[test]
    fn the_layer_holds_private_files_and_whiteouts() {
        let mut host = Fs::default();
        let mut root = RootFs::new(ImageKind::Nginx, "1.29.3", "web", &[]);
        assert!(root
            .read(&host, "/usr/share/nginx/html/index.html")
            .unwrap()
            .contains("Welcome to nginx!"));
        root.write(&mut host, SimTime::ZERO, "/tmp/healthy", "", false)
            .unwrap();
        assert_eq!(root.kind_of(&host, "/tmp/healthy"), Some(false));
        root.remove(&mut host, SimTime::ZERO, "/tmp/healthy", false)
            .unwrap();
        assert_eq!(root.kind_of(&host, "/tmp/healthy"), None);
        assert_eq!(
            root.write(&mut host, SimTime::ZERO, "/nope/x", "", false),
            Err(FileError::NotFound)
        );
        assert_eq!(
            root.list(&host, "/usr/share/nginx/html").unwrap(),
            vec!["50x.html", "index.html"]
        );
    }
}
