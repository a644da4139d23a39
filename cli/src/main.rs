//! `karmada-policy`: evaluate Karmada propagation scenarios offline.

fn main() {}
