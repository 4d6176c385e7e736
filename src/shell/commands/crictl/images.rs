//! `crictl images`, `crictl rmi` and `crictl pull` (`cmd/crictl/image.go`): the node's image
//! store, sizes as `units.HumanSizeWithPrecision(size, 3)`, and pulls that take virtual time.

use super::cli::{flag, Kind, Parsed};
use super::human::human_size;
use super::json::{obj, s, Json};
use super::{
    fatal, go_quote, print_proto, show_help, table, truncated, Ctx, OutputFormat, Subcommand,
};
use crate::node::cri::{Cri, ImageInfo, PullState};
use crate::node::runtime::images::parse_reference;
use crate::node::runtime::PAUSE_IMAGE;
use crate::shell::io::Output;

/// `crictl images`.
pub const IMAGES: Subcommand = Subcommand {
    name: "images",
    aliases: &["image", "img"],
    usage: "List images",
    args_usage: "[REPOSITORY[:TAG]]",
    flags: &[
        flag("digests", &[], Kind::Bool, "Show digests (default: false)"),
        flag(
            "no-trunc",
            &[],
            Kind::Bool,
            "Show output without truncating the ID (default: false)",
        ),
        flag(
            "output",
            &["o"],
            Kind::Str,
            "Output format, One of: json|yaml|table",
        ),
        flag(
            "pinned",
            &[],
            Kind::Bool,
            "Show whether the image is pinned or not (default: false)",
        ),
        flag(
            "quiet",
            &["q"],
            Kind::Bool,
            "Only show image IDs (default: false)",
        ),
        flag(
            "verbose",
            &["v"],
            Kind::Bool,
            "Show verbose info for images (default: false)",
        ),
    ],
};

/// `crictl rmi`.
pub const RMI: Subcommand = Subcommand {
    name: "rmi",
    aliases: &[],
    usage: "Remove one or more images",
    args_usage: "IMAGE-ID [IMAGE-ID...]",
    flags: &[],
};

/// `crictl pull`.
pub const PULL: Subcommand = Subcommand {
    name: "pull",
    aliases: &[],
    usage: "Pull an image from a registry",
    args_usage: "NAME[:TAG|@DIGEST]",
    flags: &[],
};

/// containerd pins the sandbox (pause) image so image garbage collection keeps it.
fn pinned(info: &ImageInfo) -> bool {
    info.repo_tags.iter().any(|t| t == PAUSE_IMAGE)
}

/// `crictl images`.
pub fn images(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.len() > 1 {
        return show_help("images");
    }
    let mut list = ctx.runtime().list_images();
    if let Some(filter) = parsed.args.first() {
        // `ListImages` with a name filter: the image that reference names, if present.
        let wanted = ctx.runtime().image_status(filter).map(|i| i.id);
        list.retain(|i| Some(&i.id) == wanted.as_ref());
    }
    crate::sort::sort_by(&mut list, |a, b| {
        a.repo_tags.first().cmp(&b.repo_tags.first())
    });
    let format = match parsed.string("output").as_str() {
        "json" => OutputFormat::Json,
        "yaml" => OutputFormat::Yaml,
        _ => OutputFormat::Table,
    };
    if format != OutputFormat::Table {
        let items = list.iter().map(image_json).collect();
        return Output::ok(print_proto(&obj([("images", Json::Arr(items))]), format));
    }
    if parsed.bool("quiet") {
        return Output::ok(
            list.iter()
                .map(|i| format!("{}\n", i.id))
                .collect::<String>(),
        );
    }
    if parsed.bool("verbose") {
        let mut out = String::new();
        for image in &list {
            out.push_str(&format!("ID: {}\n", image.id));
            for tag in &image.repo_tags {
                out.push_str(&format!("RepoTags: {tag}\n"));
            }
            for digest in &image.repo_digests {
                out.push_str(&format!("RepoDigests: {digest}\n"));
            }
            out.push_str(&format!("Size: {}\n", image.size));
            if pinned(image) {
                out.push_str("Pinned: true\n");
            }
            out.push('\n');
        }
        return Output::ok(out);
    }
    let digests = parsed.bool("digests");
    let show_pinned = parsed.bool("pinned");
    let no_trunc = parsed.bool("no-trunc");
    let mut header = vec!["IMAGE".to_string(), "TAG".to_string()];
    if digests {
        header.push("DIGEST".into());
    }
    header.extend(["IMAGE ID".to_string(), "SIZE".to_string()]);
    if show_pinned {
        header.push("PINNED".into());
    }
    let mut rows = vec![header];
    for image in &list {
        let (name, mut digest) = match image.repo_digests.first().and_then(|d| d.split_once('@')) {
            Some((name, digest)) => (name.to_string(), digest.to_string()),
            None => ("<none>".to_string(), "<none>".to_string()),
        };
        let mut id = image.id.clone();
        if !no_trunc {
            id = truncated(&id, "sha256:");
            digest = truncated(&digest, "sha256:");
        }
        let size = human_size(image.size as f64, 3);
        let pairs: Vec<(String, String)> = if image.repo_tags.is_empty() {
            vec![(name.clone(), "<none>".into())]
        } else {
            image
                .repo_tags
                .iter()
                .map(|t| match t.rsplit_once(':') {
                    Some((repo, tag)) => (repo.to_string(), tag.to_string()),
                    None => ("errorRepoTag".into(), "errorRepoTag".into()),
                })
                .collect()
        };
        for (repo, tag) in pairs {
            let mut row = vec![repo, tag];
            if digests {
                row.push(digest.clone());
            }
            row.extend([id.clone(), size.clone()]);
            if show_pinned {
                row.push(pinned(image).to_string());
            }
            rows.push(row);
        }
    }
    Output::ok(table(&rows))
}

/// An image as `ListImagesResponse` carries it (protojson, proto field order).
fn image_json(image: &ImageInfo) -> Json {
    obj([
        ("id", s(&image.id)),
        (
            "repoTags",
            Json::Arr(image.repo_tags.iter().map(s).collect()),
        ),
        (
            "repoDigests",
            Json::Arr(image.repo_digests.iter().map(s).collect()),
        ),
        ("size", s(image.size.to_string())),
        ("username", s("")),
        ("pinned", Json::Bool(pinned(image))),
    ])
}

/// `crictl rmi`.
pub fn rmi(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    if parsed.args.is_empty() {
        return show_help("rmi");
    }
    let mut out = String::new();
    let mut errors = Vec::new();
    for typed in &parsed.args {
        let Some(status) = ctx.runtime().image_status(typed) else {
            errors.push(format!("no such image {typed}"));
            continue;
        };
        if let Err(err) = ctx.runtime_mut().remove_image(typed) {
            errors.push(format!(
                "error of removing image {}: {err}",
                go_quote(typed)
            ));
            continue;
        }
        for tag in &status.repo_tags {
            out.push_str(&format!("Deleted: {tag}\n"));
        }
    }
    if errors.is_empty() {
        return Output::ok(out);
    }
    let message = if errors.len() == 1 {
        errors.remove(0)
    } else {
        format!("[{}]", errors.join(", "))
    };
    Output {
        stdout: out,
        ..fatal(&message)
    }
}

/// `crictl pull`: waits (in virtual time) for the pull to finish.
pub fn pull(ctx: &mut Ctx<'_, '_>, parsed: &Parsed) -> Output {
    let Some(image) = parsed.args.first() else {
        return fatal("image name cannot be empty");
    };
    if image.is_empty() {
        return fatal("image name cannot be empty");
    }
    if parsed.args.len() > 1 {
        return show_help("pull");
    }
    // containerd answers for the normalised reference (`nginx` is docker.io/library/nginx:latest).
    let reference = parse_reference(image)
        .map(|r| r.normalized())
        .unwrap_or_else(|_| image.clone());
    loop {
        let now = ctx.now();
        match ctx.runtime_mut().pull_image(now, &reference) {
            PullState::Done(info) => {
                return Output::ok(format!("Image is up to date for {}\n", info.id));
            }
            PullState::Failed(err) => {
                return ctx.rpc_failure(
                    "PullImage from image service failed",
                    "image",
                    image,
                    &err,
                    &format!("pulling image: {err}"),
                );
            }
            // The runtime finishes the pull at `done_at` and keeps its outcome for this ask.
            PullState::Pulling { done_at } => ctx.cluster().advance(done_at.since(now)),
        }
    }
}
