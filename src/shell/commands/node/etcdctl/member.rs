//! `etcdctl member list` (`etcdctl/ctlv3/command/member_command.go`, printers in
//! `printer.go`): one line (or table row) per member: ID, status, name, peer URLs, client
//! URLs, learner. A kubeadm control plane has one member, the local etcd; its ID is the one
//! etcd derives when it bootstraps a new cluster (`membership.NewMember`: the first eight
//! bytes of the SHA-1 of its sorted peer URLs and the cluster token).

use super::connection::{deadline, dial, Failure, Member};
use super::table::render;
use super::{Globals, WriteOut};
use crate::shell::commands::World;
use crate::shell::io::Output;

/// `etcdctl member list`.
pub fn list(world: &mut World<'_>, globals: &Globals) -> Output {
    // The client balances over every endpoint; the first one that answers serves the call.
    let mut last = String::new();
    for endpoint in &globals.endpoints {
        match dial(world, globals, endpoint) {
            Ok(member) => return Output::ok(print(&member, globals.write_out)),
            Err(Failure::Setup(out)) => return out,
            Err(Failure::Deadline(desc)) => last = desc,
        }
    }
    let endpoints = globals.endpoints.join(",");
    let warning = deadline(
        world,
        globals,
        "etcd-client",
        "/etcdserverpb.Cluster/MemberList",
        &endpoints,
        &last,
    );
    Output::err(format!("{warning}Error: context deadline exceeded\n"), 1)
}

fn print(member: &Member, write_out: WriteOut) -> String {
    let row = vec![
        format!("{:x}", member_id(member)),
        "started".to_string(),
        member.name.clone(),
        member.peer_urls.join(","),
        member.client_urls.join(","),
        "false".to_string(),
    ];
    match write_out {
        WriteOut::Simple => format!("{}\n", row.join(", ")),
        WriteOut::Table => render(
            &[
                "ID",
                "Status",
                "Name",
                "Peer Addrs",
                "Client Addrs",
                "Is Learner",
            ],
            &[row],
        ),
    }
}

/// `membership.computeMemberID` for a member of the initial cluster (no time mixed in).
pub fn member_id(member: &Member) -> u64 {
    let mut urls = member.peer_urls.clone();
    urls.sort();
    let mut bytes = urls.concat().into_bytes();
    bytes.extend_from_slice(member.cluster_token.as_bytes());
    let digest = sha1(&bytes);
    let mut id = [0u8; 8];
    id.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(id)
}

/// SHA-1 (FIPS 180-4), only for the member ID.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for chunk in message.chunks(64) {
        let mut w = [0u32; 80];
        for (idx, word) in chunk.chunks(4).enumerate() {
            w[idx] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for idx in 16..80 {
            w[idx] = (w[idx - 3] ^ w[idx - 8] ^ w[idx - 14] ^ w[idx - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (idx, word) in w.iter().enumerate() {
            let (f, k) = match idx {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (slot, value) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(value);
        }
    }
    let mut out = [0u8; 20];
    for (idx, word) in h.iter().enumerate() {
        out[idx * 4..idx * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_matches_the_standard_vectors() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }

    #[test]
    fn a_single_member_cluster_has_etcds_derived_id() {
        let member = Member {
            name: "default".into(),
            peer_urls: vec!["http://localhost:2380".into()],
            client_urls: Vec::new(),
            cluster_token: "etcd-cluster".into(),
        };
        // The ID every default single-node etcd reports.
        assert_eq!(format!("{:x}", member_id(&member)), "8e9e05c52164694d");
    }
}
