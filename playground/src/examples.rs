//! The gallery: every scenario under examples/ (each one also run by the CLI golden test and the browser test).

/// (id, title, text); the first is the seed tutorial.
pub const EXAMPLES: &[(&str, &str, &str)] = &[
    ("seamless-migration", "Seamless migration (the tutorial)", include_str!("../../examples/seamless-migration.yaml")),
    (
        "implicit-priority",
        "Implicit priority: name > label > kind",
        include_str!("../../examples/implicit-priority.yaml"),
    ),
    (
        "explicit-priority",
        "Explicit priority beats selector specificity",
        include_str!("../../examples/explicit-priority.yaml"),
    ),
    ("preemption-gate", "Preemption: the feature gate on vs off", include_str!("../../examples/preemption-gate.yaml")),
    ("pp-vs-cpp", "PropagationPolicy vs ClusterPropagationPolicy", include_str!("../../examples/pp-vs-cpp.yaml")),
    ("static-weights", "Static weights (2:1)", include_str!("../../examples/static-weights.yaml")),
    ("dynamic-weights", "Dynamic weights (available replicas)", include_str!("../../examples/dynamic-weights.yaml")),
    ("aggregated", "Aggregated: fewest clusters", include_str!("../../examples/aggregated.yaml")),
    ("spread-by-region", "Spread over two regions", include_str!("../../examples/spread-by-region.yaml")),
    (
        "cluster-affinities-failover",
        "Ordered clusterAffinities failover",
        include_str!("../../examples/cluster-affinities-failover.yaml"),
    ),
    ("taints-tolerations", "Taints and tolerations", include_str!("../../examples/taints-tolerations.yaml")),
    ("webhook-denial", "A webhook denial", include_str!("../../examples/webhook-denial.yaml")),
    (
        "image-override-per-region",
        "OverridePolicy per region",
        include_str!("../../examples/image-override-per-region.yaml"),
    ),
    (
        "overwrite-vs-abort",
        "Overwrite vs Abort on existing objects",
        include_str!("../../examples/overwrite-vs-abort.yaml"),
    ),
    ("policy-deletion", "Deleting a policy hands resources back", include_str!("../../examples/policy-deletion.yaml")),
    ("migration-rollback", "Migration and rollback (tutorial)", include_str!("../../examples/migration-rollback.yaml")),
    (
        "propagate-dependencies",
        "Propagating dependencies (propagateDeps)",
        include_str!("../../examples/propagate-dependencies.yaml"),
    ),
    ("suspension", "Suspending dispatching", include_str!("../../examples/suspension.yaml")),
];

/// The seed tutorial.
pub fn seed() -> &'static str {
    EXAMPLES.first().map(|e| e.2).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_gallery_lists_every_example_file() {
        let mut files: Vec<String> = std::fs::read_dir("../examples")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".yaml")).map(str::to_string))
            .collect();
        files.sort();
        let mut ids: Vec<String> = super::EXAMPLES.iter().map(|e| e.0.to_string()).collect();
        ids.sort();
        assert_eq!(ids, files);
        assert!(ids.len() >= 12);
    }
}
