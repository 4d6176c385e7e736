//! Mirrors `pkg/kubelet/config/http.go` (v1.34): `sourceURL`, which fetches a Pod or PodList
//! from `staticPodURL` every `httpCheckFrequency`.
//!
//! Simplified: the emulated network answers a request at once and the answer is delivered
//! after its latency (0 for a reachable server, the 10 s client timeout for a black hole), so
//! a body is read at the instant the request is made rather than as it streams in.

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::config::common::{
    apply_defaults, try_decode_pod_list, try_decode_single_pod, StaticSource, MAX_CONFIG_LENGTH,
};
use crate::kubelet::config::PodConfig;
use crate::kubelet::context::Ctx;
use crate::kubelet::types::{PodUpdate, SharedPod, HTTP_SOURCE};
use crate::sim::trace::{Event, LogLine};
use crate::sim::SimDuration;

/// The kubelet's HTTP client timeout for the URL source.
pub const HTTP_CLIENT_TIMEOUT: SimDuration = SimDuration::from_secs(10);

/// One GET as the kubelet's HTTP client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The full URL.
    pub url: String,
    /// Request headers, in the order they are sent.
    pub headers: Vec<(String, String)>,
    /// How long the client waits before giving up.
    pub timeout: SimDuration,
}

/// A response: status line and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code, e.g. 200.
    pub status: u16,
    /// Go's `resp.Status`, e.g. `404 Not Found`.
    pub status_line: String,
    /// The body, complete.
    pub body: Vec<u8>,
}

/// What a request produced and how long it took.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpOutcome {
    /// The response, or Go's `client.Do` error text (`Get "http://...": dial tcp ...`).
    pub result: Result<HttpResponse, String>,
    /// When, after the request, the outcome is known.
    pub latency: SimDuration,
}

/// The URL source's state.
#[derive(Debug, Clone)]
pub struct SourceUrl {
    url: String,
    header: Vec<(String, String)>,
    node_name: String,
    period: SimDuration,
    /// The last body accepted, to skip unchanged bodies.
    data: Option<Vec<u8>>,
    failure_logs: u32,
}

impl SourceUrl {
    /// A source for `url` (`NewSourceURL`); the caller starts fetching at once.
    pub fn new(
        ctx: &mut Ctx<'_>,
        url: &str,
        header: Vec<(String, String)>,
        node_name: &str,
        period: SimDuration,
    ) -> SourceUrl {
        ctx.log(LogLine::info(1, "http.go:53", "Watching URL").with("URL", url));
        SourceUrl {
            url: url.to_string(),
            header,
            node_name: node_name.to_string(),
            period,
            data: None,
            failure_logs: 0,
        }
    }

    /// The URL fetched.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The wait between the end of one fetch and the start of the next (`wait.Until`).
    pub fn period(&self) -> SimDuration {
        self.period
    }

    /// The request the next fetch sends.
    pub fn request(&self) -> HttpRequest {
        HttpRequest {
            url: self.url.clone(),
            headers: self.header.clone(),
            timeout: HTTP_CLIENT_TIMEOUT,
        }
    }

    /// Handles a fetch's outcome (`run` around `extractFromURL`): sends what it found to
    /// `config` and logs failures, throttling the log after three in a row.
    pub fn complete(&mut self, ctx: &mut Ctx<'_>, config: &mut PodConfig, outcome: HttpOutcome) {
        let res = self.extract(ctx, config, outcome.result);
        ctx.record(Event::UrlFetched {
            url: self.url.clone(),
            error: res.as_ref().err().cloned(),
        });
        match res {
            Err(err) => {
                let line = match self.failure_logs {
                    0..=2 => LogLine::info(0, "http.go:73", "Failed to read pods from URL"),
                    3 => LogLine::info(
                        0,
                        "http.go:75",
                        "Failed to read pods from URL. Dropping verbosity of this message to V(4)",
                    ),
                    _ => LogLine::info(4, "http.go:77", "Failed to read pods from URL"),
                };
                ctx.log(line.with("err", err));
                self.failure_logs += 1;
            }
            Ok(()) => {
                if self.failure_logs > 0 {
                    ctx.log(LogLine::info(
                        0,
                        "http.go:82",
                        "Successfully read pods from URL",
                    ));
                    self.failure_logs = 0;
                }
            }
        }
    }

    /// `extractFromURL` after the request: status, empty body, unchanged body, then a Pod or a
    /// PodList.
    fn extract(
        &mut self,
        ctx: &mut Ctx<'_>,
        config: &mut PodConfig,
        result: Result<HttpResponse, String>,
    ) -> Result<(), String> {
        let resp = result?;
        if resp.body.len() as u64 > MAX_CONFIG_LENGTH {
            return Err("the read limit is reached".to_string());
        }
        if resp.status != 200 {
            return Err(format!("{}: {}", self.url, resp.status_line));
        }
        if resp.body.is_empty() {
            // An empty SET still marks the source as seen.
            config.send(ctx, HTTP_SOURCE, PodUpdate::set(HTTP_SOURCE, Vec::new()));
            return Err(format!("zero-length data received from {}", self.url));
        }
        if self.data.as_deref() == Some(resp.body.as_slice()) {
            return Ok(());
        }
        // Stored before parsing, as upstream does: the same bad body is not reported twice.
        self.data = Some(resp.body.clone());

        let (url, node_name) = (self.url.clone(), self.node_name.clone());
        let mut default_fn = |ctx: &mut Ctx<'_>, pod: &mut corev1::Pod| {
            apply_defaults(ctx, pod, StaticSource::Url(&url), &node_name)
        };
        let single = try_decode_single_pod(ctx, &resp.body, &mut default_fn);
        if single.parsed {
            let pod = single.result?;
            config.send(
                ctx,
                HTTP_SOURCE,
                PodUpdate::set(HTTP_SOURCE, vec![pod.into()]),
            );
            return Ok(());
        }
        let multi = try_decode_pod_list(ctx, &resp.body, &mut default_fn);
        if multi.parsed {
            let pods = multi.result?;
            config.send(
                ctx,
                HTTP_SOURCE,
                PodUpdate::set(HTTP_SOURCE, pods.into_iter().map(SharedPod::new).collect()),
            );
            return Ok(());
        }
        Err(format!(
            "{}: received '{}', but couldn't parse as single ({}) or multiple pods ({})",
            self.url,
            String::from_utf8_lossy(&resp.body),
            single.result.err().unwrap_or_default(),
            multi.result.err().unwrap_or_default(),
        ))
    }
}
