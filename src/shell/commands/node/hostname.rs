//! `hostname` (hostname 3.23, Ubuntu 24.04): the node's name, `-i` its address, `-I` every
//! address of its interfaces but the loopback (each followed by a space, as hostname prints
//! them), `-f`/`-s` the full and short names.

use super::ip::interfaces;
use crate::shell::commands::World;
use crate::shell::io::Output;

/// `hostname [-i|-I|-f|-s|-A]`.
pub fn hostname(world: &mut World<'_>, argv: &[String]) -> Output {
    let node = &world.cluster.host(world.host).node;
    match argv.get(1).map(String::as_str) {
        None | Some("-s" | "--short" | "-f" | "--fqdn" | "--long" | "-A" | "--all-fqdns") => {
            Output::ok(format!("{}\n", node.name))
        }
        Some("-i" | "--ip-address") => Output::ok(format!("{}\n", node.ip)),
        Some("-I" | "--all-ip-addresses") => {
            let addresses: String = interfaces(&node.ip)
                .iter()
                .filter(|i| i.name != "lo")
                .map(|i| format!("{} ", i.ip))
                .collect();
            Output::ok(format!("{addresses}\n"))
        }
        Some(name) if !name.starts_with('-') => Output::err(
            "hostname: changing the host name is not supported in the playground\n",
            1,
        ),
        Some(flag) => Output::err(
            format!("hostname: invalid option -- '{}'\nUsage: hostname [-b] {{hostname|-F file}}         set host name (from file)\n       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n       hostname                                 display host name\n", flag.trim_start_matches('-').chars().next().unwrap_or('-')),
            1,
        ),
    }
}
