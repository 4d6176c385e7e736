//! What a kubectl subcommand works with: the shell's world, the server the kubeconfig names,
//! and the namespace the request is scoped to; plus the wording of failed requests
//! (`cmdutil.CheckErr` in `staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go`).

use serde_json::Value;

use super::cli::Parsed;
use super::connection::{ConfigSource, Connection};
use super::selector::{self, LabelQuery};
use crate::apiserver::componentstatus;
use crate::apiserver::store::Resource;
use crate::apiserver::{ApiError, ApiServer};
use crate::cluster::Cluster;
use crate::shell::commands::World;
use crate::shell::io::Output;
use crate::sim::SimTime;

/// kubectl's default `--request-timeout` as the discovery URL shows it.
const DISCOVERY_TIMEOUT: &str = "32s";

/// A connected kubectl invocation.
pub struct Client<'w, 'a> {
    /// The shell's world.
    pub world: &'w mut World<'a>,
    /// Where requests go.
    pub conn: Connection,
    /// `-n`, else the context's namespace, else `default`.
    pub namespace: String,
    /// Whether `-n` was given.
    pub explicit_namespace: bool,
}

impl<'w, 'a> Client<'w, 'a> {
    /// Reads the kubeconfig; the error is kubectl's whole output.
    pub fn new(world: &'w mut World<'a>, parsed: &Parsed) -> Result<Client<'w, 'a>, Output> {
        let home = world
            .vars
            .get("HOME")
            .cloned()
            .unwrap_or_else(|| "/root".to_string());
        let source = ConfigSource {
            explicit: parsed.get("kubeconfig"),
            context: parsed.get("context"),
            env: world.vars.get("KUBECONFIG").map(String::as_str),
            home: &home,
            cwd: world.cwd,
        };
        let conn = Connection::resolve(world.cluster, world.host, &source)
            .map_err(|msg| Output::err(format!("{msg}\n"), 1))?;
        let explicit_namespace = parsed.has("namespace");
        let namespace = parsed
            .get("namespace")
            .filter(|ns| !ns.is_empty())
            .map(String::from)
            .or_else(|| conn.namespace.clone())
            .unwrap_or_else(|| "default".to_string());
        Ok(Client {
            world,
            conn,
            namespace,
            explicit_namespace,
        })
    }

    /// The virtual time now.
    pub fn now(&self) -> SimTime {
        self.world.cluster.now()
    }

    /// The cluster.
    pub fn cluster(&mut self) -> &mut Cluster {
        self.world.cluster
    }

    /// The API server (reads only; check [`Client::discover`] first).
    pub fn api(&self) -> &ApiServer {
        self.world.cluster.api()
    }

    /// Discovery: whether the server answers. The error is everything kubectl prints when it
    /// cannot reach the server for its API group list.
    pub fn discover(&self) -> Result<(), Output> {
        if self.conn.reachable(self.world.cluster) {
            return Ok(());
        }
        Err(Output::err(
            self.conn
                .discovery_failure(self.now(), self.pid(), DISCOVERY_TIMEOUT),
            1,
        ))
    }

    /// The pid kubectl's klog lines carry: a process of its own, a little after the shell.
    fn pid(&self) -> u32 {
        self.world.shell_pid + 1 + (self.now().0 / 1000 % 400) as u32
    }

    /// The namespace a request for `resource` goes to (`None` for cluster-scoped kinds).
    pub fn scope(&self, resource: Resource) -> Option<&str> {
        resource.namespaced().then_some(self.namespace.as_str())
    }

    /// GET one object.
    pub fn get(&self, resource: Resource, name: &str) -> Result<Value, ApiError> {
        if resource == Resource::ComponentStatuses {
            self.api().check()?;
            return componentstatus::get(self.world.cluster.component_health(), name);
        }
        self.api()
            .get_value(resource, self.scope(resource).unwrap_or(""), name)
    }

    /// GET one object of `resource` in `namespace`, whatever the client's namespace.
    pub fn get_in(
        &self,
        resource: Resource,
        namespace: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        self.api().get_value(resource, namespace, name)
    }

    /// LIST objects of `resource` in `namespace` (every namespace with `None`).
    pub fn list(
        &self,
        resource: Resource,
        namespace: Option<&str>,
    ) -> Result<Vec<Value>, ApiError> {
        let namespace = if resource.namespaced() {
            namespace
        } else {
            None
        };
        if resource == Resource::ComponentStatuses {
            self.api().check()?;
            return Ok(componentstatus::list(self.world.cluster.component_health()));
        }
        self.api().list_values(resource, namespace)
    }
}

/// `-l`: the label selector. kubectl sends it as typed and the API server parses it, so an
/// unparsable one fails the list of `resource` (the first type asked for) with the server's
/// BadRequest; call it after discovery.
pub fn label_query(parsed: &Parsed, resource: Resource) -> Result<Option<LabelQuery>, Output> {
    let Some(text) = parsed.get("selector") else {
        return Ok(None);
    };
    selector::parse(text).map(Some).map_err(|why| {
        Output::err(
            format!(
                "Error from server (BadRequest): {}\n",
                selector::bad_request(resource, text, &why)
            ),
            1,
        )
    })
}

/// `Error from server (NotFound): pods "x" not found` and the other server errors, with the
/// newline; a refused connection is worded as kubectl words it.
pub fn server_error(conn: &Connection, err: &ApiError) -> String {
    match err {
        ApiError::Unreachable { .. } => format!("{}\n", conn.failure_message()),
        // CheckErr words a 422 `The Pod "x" is invalid: ...`.
        ApiError::Invalid { message, .. } if message.starts_with("The ") => format!("{message}\n"),
        ApiError::Invalid { message, .. } => format!("The {message}\n"),
        // A status with no reason (a 500 from the server's own failure) names none.
        ApiError::Internal { message } => format!("Error from server: {message}\n"),
        _ => format!("Error from server ({}): {err}\n", err.reason()),
    }
}

/// A usage error as kubectl prints it: `error: <message>` and the help pointer.
pub fn usage_error(command: &str, message: &str) -> Output {
    Output::err(
        format!("error: {message}\nSee 'kubectl {command} -h' for help and examples\n"),
        1,
    )
}

/// An error kubectl prints as `error: <message>`.
pub fn plain_error(message: &str) -> Output {
    Output::err(format!("error: {message}\n"), 1)
}
