//! The API structs' decoders (see [`super::decode`]): each field's JSON name and whether it may be absent,
//! as the struct's serde attributes say (`#[serde(default)]` fields are `or_default`, the others `required`;
//! `deny_unknown_fields` structs `deny` unknown keys). A struct literal names every field, so a field added to
//! a struct and not here does not compile; `decode::tests::agrees_with_serde` checks the names.

use super::cluster::{
    AllocatableModeling, ApiEnablement, ApiResource, Cluster, ClusterSpec, ClusterStatus, Condition, ResourceModel,
    ResourceModelRange, ResourceSummary,
};
use super::decode::decode_struct;
use super::meta::{LabelSelector, LabelSelectorRequirement, ObjectMeta, Taint, Toleration};
use super::override_policy::{
    CommandArgsOverrider, FieldOverrider, ImageOverrider, ImagePredicate, LabelAnnotationOverrider, OverridePolicy,
    OverrideSpec, Overriders, PatchOperation, PlaintextOverrider, RuleWithCluster,
};
use super::policy::{
    ApplicationFailoverBehavior, ClusterAffinity, ClusterAffinityTerm, ClusterFailoverBehavior, ClusterPreferences,
    DecisionConditions, FailoverBehavior, FieldSelector, OverflowClusterAffinity, Placement, PropagationPolicy,
    PropagationSpec, ReplicaSchedulingStrategy, ResourceSelector, SchedulePriority, SpreadConstraint,
    StatePreservation, StatePreservationRule, StaticClusterWeight, SuspendClusters, Suspension, WorkloadAffinity,
    WorkloadAffinityTerm,
};

decode_struct!(Cluster, allow, {
    api_version: "apiVersion" or_default,
    kind: "kind" or_default,
    metadata: "metadata" or_default,
    spec: "spec" or_default,
    status: "status" or_default,
});

decode_struct!(ClusterSpec, allow, {
    sync_mode: "syncMode" or_default,
    provider: "provider" or_default,
    region: "region" or_default,
    zone: "zone" or_default,
    zones: "zones" or_default,
    taints: "taints" or_default,
    resource_models: "resourceModels" or_default,
});

decode_struct!(ResourceModel, allow, {
    grade: "grade" or_default,
    ranges: "ranges" or_default,
});

decode_struct!(ResourceModelRange, allow, {
    name: "name" or_default,
    min: "min" or_default,
    max: "max" or_default,
});

decode_struct!(ClusterStatus, allow, {
    kubernetes_version: "kubernetesVersion" or_default,
    api_enablements: "apiEnablements" or_default,
    conditions: "conditions" or_default,
    resource_summary: "resourceSummary" or_default,
});

decode_struct!(ApiEnablement, allow, {
    group_version: "groupVersion" or_default,
    resources: "resources" or_default,
});

decode_struct!(ApiResource, allow, {
    name: "name" or_default,
    kind: "kind" or_default,
});

decode_struct!(Condition, allow, {
    type_: "type" or_default,
    status: "status" or_default,
    reason: "reason" or_default,
    message: "message" or_default,
});

decode_struct!(ResourceSummary, allow, {
    allocatable: "allocatable" or_default,
    allocated: "allocated" or_default,
    allocating: "allocating" or_default,
    allocatable_modelings: "allocatableModelings" or_default,
});

decode_struct!(AllocatableModeling, allow, {
    grade: "grade" or_default,
    count: "count" or_default,
});

decode_struct!(ObjectMeta, allow, {
    name: "name" or_default,
    namespace: "namespace" or_default,
    uid: "uid" or_default,
    labels: "labels" or_default,
    annotations: "annotations" or_default,
    deletion_timestamp: "deletionTimestamp" or_default,
});

decode_struct!(LabelSelector, deny, {
    match_labels: "matchLabels" or_default,
    match_expressions: "matchExpressions" or_default,
});

decode_struct!(LabelSelectorRequirement, deny, {
    key: "key" required,
    operator: "operator" required,
    values: "values" or_default,
});

decode_struct!(Taint, allow, {
    key: "key" or_default,
    value: "value" or_default,
    effect: "effect" or_default,
    time_added: "timeAdded" or_default,
});

decode_struct!(Toleration, deny, {
    key: "key" or_default,
    operator: "operator" or_default,
    value: "value" or_default,
    effect: "effect" or_default,
    toleration_seconds: "tolerationSeconds" or_default,
});

decode_struct!(OverridePolicy, deny, {
    api_version: "apiVersion" required,
    kind: "kind" required,
    metadata: "metadata" or_default,
    spec: "spec" required,
});

decode_struct!(OverrideSpec, deny, {
    resource_selectors: "resourceSelectors" or_default,
    override_rules: "overrideRules" or_default,
    target_cluster: "targetCluster" or_default,
    overriders: "overriders" or_default,
});

decode_struct!(RuleWithCluster, deny, {
    target_cluster: "targetCluster" or_default,
    overriders: "overriders" required,
});

decode_struct!(Overriders, deny, {
    plaintext: "plaintext" or_default,
    image_overrider: "imageOverrider" or_default,
    command_overrider: "commandOverrider" or_default,
    args_overrider: "argsOverrider" or_default,
    labels_overrider: "labelsOverrider" or_default,
    annotations_overrider: "annotationsOverrider" or_default,
    field_overrider: "fieldOverrider" or_default,
});

decode_struct!(PlaintextOverrider, deny, {
    path: "path" required,
    operator: "operator" required,
    value: "value" or_default,
});

decode_struct!(ImageOverrider, deny, {
    predicate: "predicate" or_default,
    component: "component" required,
    operator: "operator" required,
    value: "value" or_default,
});

decode_struct!(ImagePredicate, deny, {
    path: "path" required,
});

decode_struct!(CommandArgsOverrider, deny, {
    container_name: "containerName" required,
    operator: "operator" required,
    value: "value" or_default,
});

decode_struct!(LabelAnnotationOverrider, deny, {
    operator: "operator" required,
    value: "value" required,
});

decode_struct!(FieldOverrider, deny, {
    field_path: "fieldPath" required,
    json: "json" or_default,
    yaml: "yaml" or_default,
});

decode_struct!(PatchOperation, deny, {
    sub_path: "subPath" required,
    operator: "operator" required,
    value: "value" or_default,
});

decode_struct!(PropagationPolicy, deny, {
    api_version: "apiVersion" required,
    kind: "kind" required,
    metadata: "metadata" or_default,
    spec: "spec" required,
});

decode_struct!(PropagationSpec, deny, {
    resource_selectors: "resourceSelectors" required,
    association: "association" or_default,
    propagate_deps: "propagateDeps" or_default,
    placement: "placement" or_default,
    priority: "priority" or_default,
    preemption: "preemption" or_default,
    dependent_overrides: "dependentOverrides" or_default,
    scheduler_name: "schedulerName" or_default,
    failover: "failover" or_default,
    conflict_resolution: "conflictResolution" or_default,
    activation_preference: "activationPreference" or_default,
    suspension: "suspension" or_default,
    preserve_resources_on_deletion: "preserveResourcesOnDeletion" or_default,
    schedule_priority: "schedulePriority" or_default,
});

decode_struct!(ResourceSelector, deny, {
    api_version: "apiVersion" required,
    kind: "kind" required,
    namespace: "namespace" or_default,
    name: "name" or_default,
    label_selector: "labelSelector" or_default,
});

decode_struct!(Placement, deny, {
    cluster_affinity: "clusterAffinity" or_default,
    cluster_affinities: "clusterAffinities" or_default,
    cluster_tolerations: "clusterTolerations" or_default,
    spread_constraints: "spreadConstraints" or_default,
    replica_scheduling: "replicaScheduling" or_default,
    workload_affinity: "workloadAffinity" or_default,
});

decode_struct!(ClusterAffinity, deny, {
    label_selector: "labelSelector" or_default,
    field_selector: "fieldSelector" or_default,
    cluster_names: "clusterNames" or_default,
    exclude: "exclude" or_default,
});

decode_struct!(FieldSelector, deny, {
    match_expressions: "matchExpressions" or_default,
});

decode_struct!(ClusterAffinityTerm, deny, {
    affinity_name: "affinityName" or_default,
    label_selector: "labelSelector" or_default,
    field_selector: "fieldSelector" or_default,
    cluster_names: "clusterNames" or_default,
    exclude: "exclude" or_default,
    overflow_affinities: "overflowAffinities" or_default,
});

decode_struct!(OverflowClusterAffinity, deny, {
    affinity_name: "affinityName" or_default,
    label_selector: "labelSelector" or_default,
    field_selector: "fieldSelector" or_default,
    cluster_names: "clusterNames" or_default,
    exclude: "exclude" or_default,
});

decode_struct!(SpreadConstraint, deny, {
    spread_by_field: "spreadByField" or_default,
    spread_by_label: "spreadByLabel" or_default,
    max_groups: "maxGroups" or_default,
    min_groups: "minGroups" or_default,
});

decode_struct!(ReplicaSchedulingStrategy, deny, {
    replica_scheduling_type: "replicaSchedulingType" or_default,
    replica_division_preference: "replicaDivisionPreference" or_default,
    weight_preference: "weightPreference" or_default,
});

decode_struct!(ClusterPreferences, deny, {
    static_weight_list: "staticWeightList" or_default,
    dynamic_weight: "dynamicWeight" or_default,
});

decode_struct!(StaticClusterWeight, deny, {
    target_cluster: "targetCluster" or_default,
    weight: "weight" required,
});

decode_struct!(WorkloadAffinity, deny, {
    affinity: "affinity" or_default,
    anti_affinity: "antiAffinity" or_default,
});

decode_struct!(WorkloadAffinityTerm, deny, {
    group_by_label_key: "groupByLabelKey" or_default,
});

decode_struct!(FailoverBehavior, deny, {
    application: "application" or_default,
    cluster: "cluster" or_default,
});

decode_struct!(ApplicationFailoverBehavior, deny, {
    decision_conditions: "decisionConditions" or_default,
    purge_mode: "purgeMode" or_default,
    grace_period_seconds: "gracePeriodSeconds" or_default,
    state_preservation: "statePreservation" or_default,
});

decode_struct!(ClusterFailoverBehavior, deny, {
    purge_mode: "purgeMode" or_default,
    state_preservation: "statePreservation" or_default,
});

decode_struct!(DecisionConditions, deny, {
    toleration_seconds: "tolerationSeconds" or_default,
});

decode_struct!(StatePreservation, deny, {
    rules: "rules" or_default,
});

decode_struct!(StatePreservationRule, deny, {
    alias_label_name: "aliasLabelName" or_default,
    json_path: "jsonPath" or_default,
});

decode_struct!(Suspension, deny, {
    dispatching: "dispatching" or_default,
    dispatching_on_clusters: "dispatchingOnClusters" or_default,
});

decode_struct!(SuspendClusters, deny, {
    cluster_names: "clusterNames" or_default,
});

decode_struct!(SchedulePriority, deny, {
    priority_class_source: "priorityClassSource" or_default,
    priority_class_name: "priorityClassName" or_default,
});
