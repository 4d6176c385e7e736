//! `ip` (iproute2 6.1, Ubuntu 24.04): `ip addr`, `ip link` and `ip route` for the node's
//! interfaces: the loopback, `eth0` with the node's address, and the `cni0` bridge of its
//! pod subnet (`192.168.N.0/24`, N the node's third octet minus one), which the other
//! node's pod subnet is routed to through that node.
//!
//! Simplified: no veth pair per pod and no IPv6 beyond link-local addresses; `eth0`'s address
//! is static (a cloud VM's is usually from DHCP, with lifetimes); `ip` objects other than
//! `addr`, `link` and `route` say they are not supported.

use crate::shell::commands::World;
use crate::shell::io::Output;

/// One network interface of a node.
pub struct Interface {
    /// Its name.
    pub name: &'static str,
    /// Its IPv4 address.
    pub ip: String,
    /// Its prefix length.
    pub prefix: u8,
}

/// The first three octets of `ip`.
fn net24(ip: &str) -> String {
    ip.rsplit_once('.').map_or(ip, |(net, _)| net).to_string()
}

use crate::kubelet::kubelet::pod_subnet_for as pod_subnet;

/// The node's interfaces, in index order.
pub fn interfaces(node_ip: &str) -> Vec<Interface> {
    vec![
        Interface {
            name: "lo",
            ip: "127.0.0.1".into(),
            prefix: 8,
        },
        Interface {
            name: "eth0",
            ip: node_ip.to_string(),
            prefix: 24,
        },
        Interface {
            name: "cni0",
            ip: format!("{}.1", pod_subnet(node_ip)),
            prefix: 24,
        },
    ]
}

/// A stable MAC address for `name` on the node `ip`.
fn mac(name: &str, ip: &str) -> String {
    let octets: Vec<u8> = ip.split('.').filter_map(|o| o.parse().ok()).collect();
    let (c, d) = (
        octets.get(2).copied().unwrap_or(0),
        octets.get(3).copied().unwrap_or(0),
    );
    match name {
        "eth0" => format!("52:54:00:a1:{c:02x}:{d:02x}"),
        _ => format!("6a:3c:91:0e:{c:02x}:{d:02x}"),
    }
}

/// The link-local IPv6 address derived from a MAC (EUI-64).
fn link_local(mac: &str) -> String {
    let b: Vec<u8> = mac
        .split(':')
        .filter_map(|h| u8::from_str_radix(h, 16).ok())
        .collect();
    if b.len() != 6 {
        return "fe80::1/64".into();
    }
    let groups = [
        u16::from_be_bytes([b[0] ^ 2, b[1]]),
        u16::from_be_bytes([b[2], 0xff]),
        u16::from_be_bytes([0xfe, b[3]]),
        u16::from_be_bytes([b[4], b[5]]),
    ];
    format!(
        "fe80::{:x}:{:x}:{:x}:{:x}/64",
        groups[0], groups[1], groups[2], groups[3]
    )
}

/// `ip [-4] OBJECT [COMMAND] [dev NAME]`.
pub fn ip(world: &mut World<'_>, argv: &[String]) -> Output {
    let mut args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
    args.retain(|a| !matches!(*a, "-4" | "-c" | "-color" | "--color"));
    let node_ip = world.cluster.host(world.host).node.ip.clone();
    let Some(object) = args.first().copied() else {
        return Output::err(USAGE, 255);
    };
    let rest = &args[1..];
    let dev = match rest {
        [] | ["show"] | ["list"] => None,
        ["show", "dev", name] | ["show", name] | ["dev", name] => Some(*name),
        _ => {
            return Output::err(
                format!(
                    "ip: {} is not supported in the playground; supported: ip addr|link|route [show [dev NAME]]\n",
                    args.join(" ")
                ),
                1,
            )
        }
    };
    let all = interfaces(&node_ip);
    let chosen: Vec<(usize, &Interface)> = all
        .iter()
        .enumerate()
        .filter(|(_, i)| dev.is_none_or(|d| d == i.name))
        .collect();
    if let Some(name) = dev {
        if chosen.is_empty() {
            return Output::err(format!("Device \"{name}\" does not exist.\n"), 1);
        }
    }
    let word = |full: &str| full.starts_with(object) && !object.is_empty();
    if word("address") || object == "a" {
        Output::ok(addr(&chosen, &node_ip, true))
    } else if word("link") {
        Output::ok(addr(&chosen, &node_ip, false))
    } else if word("route") || object == "r" {
        Output::ok(routes(&node_ip))
    } else if object == "help" || object == "-h" {
        Output::err(USAGE, 255)
    } else {
        Output::err(
            format!("Object \"{object}\" is unknown, try \"ip help\".\n"),
            255,
        )
    }
}

/// `ip addr` (with addresses) or `ip link` (without).
fn addr(chosen: &[(usize, &Interface)], node_ip: &str, addresses: bool) -> String {
    let mut out = String::new();
    for (idx, iface) in chosen {
        let n = idx + 1;
        if iface.name == "lo" {
            out.push_str(&format!("{n}: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n"));
            if addresses {
                out = out.replace(" mode DEFAULT", "");
                out.push_str("    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host noprefixroute \n       valid_lft forever preferred_lft forever\n");
            }
            continue;
        }
        let mac = mac(iface.name, node_ip);
        let (mtu, qdisc) = if iface.name == "eth0" {
            (1500, "fq_codel")
        } else {
            (1450, "noqueue")
        };
        let mode = if addresses { "" } else { " mode DEFAULT" };
        out.push_str(&format!(
            "{n}: {}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu {mtu} qdisc {qdisc} state UP{mode} group default qlen 1000\n    link/ether {mac} brd ff:ff:ff:ff:ff:ff\n",
            iface.name
        ));
        if iface.name == "eth0" {
            out.push_str("    altname enp1s0\n");
        }
        if addresses {
            out.push_str(&format!(
                "    inet {}/{} brd {}.255 scope global {}\n       valid_lft forever preferred_lft forever\n    inet6 {} scope link \n       valid_lft forever preferred_lft forever\n",
                iface.ip,
                iface.prefix,
                net24(&iface.ip),
                iface.name,
                link_local(&mac)
            ));
        }
    }
    out
}

/// `ip route`: the default route, the node's and its pods' subnets, and the other nodes'
/// pod subnets through them.
fn routes(node_ip: &str) -> String {
    let net = net24(node_ip);
    let pods = pod_subnet(node_ip);
    let mut out = format!(
        "default via {net}.1 dev eth0 proto static \n{net}.0/24 dev eth0 proto kernel scope link src {node_ip} \n{pods}.0/24 dev cni0 proto kernel scope link src {pods}.1 \n"
    );
    // The other node of the two-node cluster.
    for other in ["172.30.1.2", "172.30.2.2"] {
        if other != node_ip {
            out.push_str(&format!(
                "{}.0/24 via {other} dev eth0 \n",
                pod_subnet(other)
            ));
        }
    }
    out
}

/// `ip` with no object.
const USAGE: &str = "Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | stats | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
";
