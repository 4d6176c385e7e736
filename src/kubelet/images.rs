//! Mirrors `pkg/kubelet/images/image_manager.go` (v1.34): `EnsureImageExists` — pull policy,
//! the Pulling/Pulled/Failed/BackOff events, and the image pull back-off per pod and image.
//!
//! Simplified: a pull takes virtual time in the runtime; while it runs the pod worker waits
//! and asks again when it is done, instead of blocking on the CRI call.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1 as corev1;

use crate::kubelet::backoff::Backoff;
use crate::kubelet::context::Ctx;
use crate::kubelet::cri::{Cri, PullState};
use crate::kubelet::events::{InvolvedObject, Recorder};
use crate::sim::SimTime;

/// What `EnsureImageExists` decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageOutcome {
    /// The image is there; its reference.
    Ready(String),
    /// A pull is running; ask again at this time.
    Wait(SimTime),
    /// It failed: the error kind (`ErrImagePull`, `ImagePullBackOff`, `ErrImageNeverPull`) and
    /// the message that becomes the container's waiting message.
    Failed {
        /// The error kind, which kubectl shows as the status.
        reason: &'static str,
        /// The detail.
        message: String,
    },
}

/// The kubelet's image manager.
#[derive(Debug, Clone)]
pub struct ImageManager {
    backoff: Backoff,
    prev_pull_errors: BTreeMap<String, String>,
    /// Pulls in progress: image → when the kubelet started it.
    pulling: BTreeMap<String, SimTime>,
}

impl Default for ImageManager {
    fn default() -> Self {
        ImageManager {
            backoff: Backoff::images(),
            prev_pull_errors: BTreeMap::new(),
            pulling: BTreeMap::new(),
        }
    }
}

impl ImageManager {
    /// `EnsureImageExists` for one container of `pod`.
    pub fn ensure_image_exists(
        &mut self,
        ctx: &mut Ctx<'_>,
        cri: &mut dyn Cri,
        recorder: &mut Recorder,
        pod: &corev1::Pod,
        container: &corev1::Container,
    ) -> ImageOutcome {
        let image = container.image.clone().unwrap_or_default();
        let object = InvolvedObject::container(pod, &container.name);
        let policy = container
            .image_pull_policy
            .as_deref()
            .unwrap_or("IfNotPresent");
        if policy != "Always" && !self.pulling.contains_key(&image) {
            if let Some(present) = cri.image_status(&image) {
                recorder.eventf(
                    ctx,
                    object,
                    "Normal",
                    "Pulled",
                    format!("Container image {image:?} already present on machine and can be accessed by the pod"),
                );
                return ImageOutcome::Ready(present.id);
            }
            if policy == "Never" {
                let message =
                    format!("Container image {image:?} is not present with pull policy of Never");
                recorder.eventf(ctx, object, "Warning", "ErrImageNeverPull", message.clone());
                return ImageOutcome::Failed {
                    reason: "ErrImageNeverPull",
                    message,
                };
            }
        }
        let uid = pod.metadata.uid.clone().unwrap_or_default();
        let key = format!("{uid}_{image}");
        if !self.pulling.contains_key(&image) {
            if self.backoff.is_in_backoff_since_update(&key, ctx.now) {
                let mut message = format!("Back-off pulling image {image:?}");
                recorder.eventf(ctx, object, "Normal", "BackOff", message.clone());
                if let Some(prev) = self.prev_pull_errors.get(&key) {
                    message = format!("{message}: {prev}");
                }
                return ImageOutcome::Failed {
                    reason: "ImagePullBackOff",
                    message,
                };
            }
            self.prev_pull_errors.remove(&key);
            recorder.eventf(
                ctx,
                object.clone(),
                "Normal",
                "Pulling",
                format!("Pulling image {image:?}"),
            );
            self.pulling.insert(image.clone(), ctx.now);
        }
        match cri.pull_image(ctx.now, &image) {
            PullState::Pulling { done_at } => ImageOutcome::Wait(done_at),
            PullState::Done(info) => {
                let started = self.pulling.remove(&image).unwrap_or(ctx.now);
                let took = ctx.now.since(started);
                recorder.eventf(
                    ctx,
                    object,
                    "Normal",
                    "Pulled",
                    format!(
                        "Successfully pulled image {image:?} in {took} ({took} including waiting). Image size: {} bytes.",
                        info.size
                    ),
                );
                self.backoff.gc(ctx.now);
                ImageOutcome::Ready(info.id)
            }
            PullState::Failed(err) => {
                self.pulling.remove(&image);
                recorder.eventf(
                    ctx,
                    object,
                    "Warning",
                    "Failed",
                    format!("Failed to pull image {image:?}: {err}"),
                );
                self.backoff.next(&key, ctx.now);
                self.prev_pull_errors
                    .insert(key, format!("ErrImagePull: {err}"));
                ImageOutcome::Failed {
                    reason: "ErrImagePull",
                    message: err,
                }
            }
        }
    }
}
