//! Mirrors client-go `tools/clientcmd` (v0.34): kubeconfig files on a host's disk — decoding
//! one (`Load`, `LoadFromFile`), merging several (the first file to set a value wins), the
//! context in use with its cluster and user (`DirectClientConfig`'s getters), and
//! `ConfirmUsable`'s validation, in clientcmd's words. The kubelet's start-up and kubectl both
//! read kubeconfigs through it.
//!
//! Simplified: `validateAuthInfo` and `validateClusterInfo` check what a kubeadm kubeconfig
//! uses (the client certificate and key files, the CA file, the server); exec plugins, auth
//! providers, tokens and proxies are not validated.

use serde_json::Value;

use crate::node::fs::{Fs, FsError};

/// `ErrEmptyConfig`: the context names nothing usable at all.
pub const EMPTY_CONFIG: &str =
    "no configuration has been provided, try setting KUBERNETES_MASTER environment variable";

/// `ErrEmptyCluster`.
const EMPTY_CLUSTER: &str = "cluster has no server defined";

/// Decodes one kubeconfig file's text as `clientcmd.Load` does: an empty file is an empty
/// configuration; the error is the YAML decoder's (`yaml: line 3: mapping values are not
/// allowed in this context`).
pub fn decode(text: &str) -> Result<Value, String> {
    if text.is_empty() {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    let value: Value =
        crate::yaml::from_str_first(text).map_err(|err| format!("yaml: {}", err.go_message()))?;
    match value {
        Value::Null => Ok(Value::Object(serde_json::Map::new())),
        Value::Object(_) => Ok(value),
        other => Err(format!(
            "couldn't get version/kind; json parse error: json: cannot unmarshal {} into Go value of type struct {{ APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }}",
            crate::apiserver::helpers::go_json_type(&other)
        )),
    }
}

/// Reads and decodes the kubeconfig at `path` (`ClientConfigLoadingRules` with an explicit
/// path): a missing file is `stat PATH: ...`, a broken one `error loading config file ...`.
pub fn load_file(fs: &Fs, path: &str) -> Result<Value, String> {
    if let Err(err) = fs.stat(path) {
        return Err(err.go_path_error("stat", path));
    }
    let text = match fs.read_to_string(path) {
        Ok(text) => text,
        Err(FsError::IsADirectory) => {
            return Err(format!(
                "error loading config file \"{path}\": read {path}: is a directory"
            ))
        }
        Err(err) => {
            return Err(format!(
                "error loading config file \"{path}\": {}",
                err.go_path_error("open", path)
            ))
        }
    };
    decode(&text).map_err(|err| format!("error loading config file \"{path}\": {err}"))
}

/// Merges decoded kubeconfigs: for `current-context` and for each named context, cluster and
/// user, the first file to set it wins (clientcmd's rule).
pub fn merge(docs: &[Value]) -> Value {
    let mut current = Value::Null;
    let mut lists: [(&str, Vec<Value>); 3] = [
        ("contexts", Vec::new()),
        ("clusters", Vec::new()),
        ("users", Vec::new()),
    ];
    for doc in docs {
        if current.is_null() {
            if let Some(c) = doc
                .get("current-context")
                .filter(|c| c.as_str().is_some_and(|s| !s.is_empty()))
            {
                current = c.clone();
            }
        }
        for (field, into) in lists.iter_mut() {
            for item in doc
                .get(*field)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let name = item.get("name");
                if !into.iter().any(|known| known.get("name") == name) {
                    into.push(item.clone());
                }
            }
        }
    }
    let [(_, contexts), (_, clusters), (_, users)] = lists;
    serde_json::json!({
        "current-context": current,
        "contexts": contexts,
        "clusters": clusters,
        "users": users,
    })
}

/// The context a configuration uses and what it points at; absent entries are empty, as
/// `DirectClientConfig`'s getters make them.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// The context's name (the override, else `current-context`); empty when neither is set.
    pub context_name: String,
    /// Whether a context of that name exists.
    pub context_found: bool,
    /// The cluster the context names.
    pub cluster_name: String,
    /// That cluster's fields (`server`, `certificate-authority`, ...), empty if absent.
    pub cluster: serde_json::Map<String, Value>,
    /// The user the context names.
    pub auth_info_name: String,
    /// That user's fields (`client-certificate`, `client-key`, ...), empty if absent.
    pub auth_info: serde_json::Map<String, Value>,
    /// The context's namespace, if it sets one.
    pub namespace: Option<String>,
}

impl Selection {
    /// The cluster's `server:`, if set and not empty.
    pub fn server(&self) -> Option<&str> {
        self.cluster
            .get("server")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// `ConfirmUsable`: every problem of the selected context, user and cluster, as
    /// `invalid configuration: ...`; `None` when it is usable. Files the user and cluster
    /// name are looked up on `fs`.
    pub fn confirm_usable(&self, fs: &Fs) -> Option<String> {
        let mut errors: Vec<String> = Vec::new();
        if !self.context_name.is_empty() && !self.context_found {
            errors.push(format!(
                "context was not found for specified context: {}",
                self.context_name
            ));
        }
        self.validate_auth_info(fs, &mut errors);
        self.validate_cluster_info(fs, &mut errors);
        if errors.len() == 1 && errors[0] == EMPTY_CLUSTER {
            errors[0] = EMPTY_CONFIG.to_string();
        }
        invalid_configuration(&errors)
    }

    fn validate_auth_info(&self, fs: &Fs, errors: &mut Vec<String>) {
        let field = |name: &str| {
            self.auth_info
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
        };
        let (cert, cert_data) = (
            field("client-certificate"),
            field("client-certificate-data"),
        );
        if cert.is_empty() && cert_data.is_empty() {
            return;
        }
        let name = &self.auth_info_name;
        for (what, path) in [("client-cert", cert), ("client-key", field("client-key"))] {
            if path.is_empty() {
                continue;
            }
            if let Err(err) = open(fs, path) {
                errors.push(format!(
                    "unable to read {what} {path} for {name} due to {err}"
                ));
            }
        }
    }

    fn validate_cluster_info(&self, fs: &Fs, errors: &mut Vec<String>) {
        if self.cluster.is_empty() {
            errors.push(EMPTY_CLUSTER.to_string());
            return;
        }
        if self.server().is_none() {
            errors.push(if self.cluster_name.is_empty() {
                "default cluster has no server defined".to_string()
            } else {
                format!("no server found for cluster {:?}", self.cluster_name)
            });
        }
        if let Some(ca) = self
            .cluster
            .get("certificate-authority")
            .and_then(Value::as_str)
            .filter(|ca| !ca.is_empty())
        {
            if let Err(err) = open(fs, ca) {
                errors.push(format!(
                    "unable to read certificate-authority {ca} for {} due to {err}",
                    self.cluster_name
                ));
            }
        }
    }
}

/// The context `context_override` (or the configuration's `current-context`) selects.
pub fn select(config: &Value, context_override: Option<&str>) -> Selection {
    let context_name = match context_override {
        Some(name) => name.to_string(),
        None => config
            .get("current-context")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
    };
    let find = |list: &str, name: &str| -> Option<Value> {
        config
            .get(list)
            .and_then(Value::as_array)?
            .iter()
            .find(|item| item.get("name").and_then(Value::as_str) == Some(name))
            .cloned()
    };
    let context = find("contexts", &context_name);
    let in_context = |key: &str| -> String {
        context
            .as_ref()
            .and_then(|c| c.pointer(&format!("/context/{key}")))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let cluster_name = in_context("cluster");
    let auth_info_name = in_context("user");
    let namespace = Some(in_context("namespace")).filter(|ns| !ns.is_empty());
    let body = |list: &str, entry: &str, name: &str| -> serde_json::Map<String, Value> {
        find(list, name)
            .and_then(|item| item.get(entry).and_then(Value::as_object).cloned())
            .unwrap_or_default()
    };
    Selection {
        context_found: context.is_some(),
        cluster: body("clusters", "cluster", &cluster_name),
        auth_info: body("users", "user", &auth_info_name),
        context_name,
        cluster_name,
        auth_info_name,
        namespace,
    }
}

/// `errConfigurationInvalid`: `invalid configuration: ` and the errors as an aggregate
/// (one error alone, several in brackets, repeats dropped); `None` for no errors.
pub fn invalid_configuration(errors: &[String]) -> Option<String> {
    let mut unique: Vec<&str> = Vec::new();
    for err in errors {
        if !unique.contains(&err.as_str()) {
            unique.push(err);
        }
    }
    match unique.as_slice() {
        [] => None,
        [one] => Some(format!("invalid configuration: {one}")),
        many => Some(format!("invalid configuration: [{}]", many.join(", "))),
    }
}

/// `os.Open` of a file the configuration names: the error as Go prints it.
fn open(fs: &Fs, path: &str) -> Result<(), String> {
    match fs.stat(path) {
        Ok(_) => Ok(()),
        Err(err) => Err(err.go_path_error("open", path)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fs::WriteMode;
    use crate::sim::SimTime;

    const KUBELET_CONF: &str = "apiVersion: v1\nclusters:\n- cluster:\n    server: https://controlplane:6443\n  name: default-cluster\ncontexts:\n- context:\n    cluster: default-cluster\n    namespace: default\n    user: default-auth\n  name: default-context\ncurrent-context: default-context\nkind: Config\nusers:\n- name: default-auth\n  user:\n    client-certificate: /pki/client.pem\n    client-key: /pki/client.pem\n";

    fn fs_with(files: &[(&str, &str)]) -> Fs {
        let mut fs = Fs::default();
        for (path, text) in files {
            let dir = path.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("/");
            if !dir.is_empty() {
                fs.mkdir_all(SimTime::ZERO, dir).unwrap();
            }
            fs.write(SimTime::ZERO, path, text.as_bytes(), WriteMode::Truncate)
                .unwrap();
        }
        fs
    }

    #[test]
    fn a_kubeadm_kubeconfig_is_usable_when_its_certificate_exists() {
        let fs = fs_with(&[("/pki/client.pem", "pem")]);
        let selection = select(&decode(KUBELET_CONF).unwrap(), None);
        assert_eq!(selection.server(), Some("https://controlplane:6443"));
        assert_eq!(selection.namespace.as_deref(), Some("default"));
        assert_eq!(selection.confirm_usable(&fs), None);
    }

    #[test]
    fn missing_credentials_are_reported_as_client_go_does() {
        let selection = select(&decode(KUBELET_CONF).unwrap(), None);
        assert_eq!(
            selection.confirm_usable(&Fs::default()).unwrap(),
            "invalid configuration: [unable to read client-cert /pki/client.pem for default-auth due to open /pki/client.pem: no such file or directory, unable to read client-key /pki/client.pem for default-auth due to open /pki/client.pem: no such file or directory]"
        );
    }

    #[test]
    fn an_empty_or_contextless_configuration_is_not_usable() {
        let fs = Fs::default();
        assert_eq!(
            select(&decode("").unwrap(), None)
                .confirm_usable(&fs)
                .unwrap(),
            format!("invalid configuration: {EMPTY_CONFIG}")
        );
        let missing =
            KUBELET_CONF.replace("current-context: default-context", "current-context: other");
        assert_eq!(
            select(&decode(&missing).unwrap(), None)
                .confirm_usable(&fs)
                .unwrap(),
            "invalid configuration: [context was not found for specified context: other, cluster has no server defined]"
        );
        let no_server = KUBELET_CONF
            .replace(
                "    server: https://controlplane:6443\n",
                "    server: \"\"\n",
            )
            .replace(
                "    client-certificate: /pki/client.pem\n    client-key: /pki/client.pem\n",
                "    token: x\n",
            );
        assert_eq!(
            select(&decode(&no_server).unwrap(), None)
                .confirm_usable(&fs)
                .unwrap(),
            "invalid configuration: no server found for cluster \"default-cluster\""
        );
    }

    #[test]
    fn broken_files_fail_to_load_in_go_words() {
        let fs = fs_with(&[
            ("/k.conf", "apiVersion: v1\nclusters: x: y\n"),
            ("/s.conf", "hello\n"),
        ]);
        assert_eq!(
            load_file(&fs, "/none.conf").unwrap_err(),
            "stat /none.conf: no such file or directory"
        );
        let err = load_file(&fs, "/k.conf").unwrap_err();
        assert!(
            err.starts_with("error loading config file \"/k.conf\": yaml: line 2: "),
            "{err}"
        );
        assert!(load_file(&fs, "/s.conf")
            .unwrap_err()
            .contains("json: cannot unmarshal string into Go value"));
    }

    #[test]
    fn the_first_file_to_set_a_value_wins() {
        let a = serde_json::json!({"current-context": "a", "contexts": [{"name": "a", "context": {"cluster": "c", "namespace": "team"}}], "clusters": [{"name": "c", "cluster": {"server": "https://controlplane:6443"}}]});
        let b = serde_json::json!({"current-context": "b", "clusters": [{"name": "c", "cluster": {"server": "https://elsewhere:6443"}}]});
        let selection = select(&merge(&[a, b]), None);
        assert_eq!(selection.server(), Some("https://controlplane:6443"));
        assert_eq!(selection.namespace.as_deref(), Some("team"));
    }
}
