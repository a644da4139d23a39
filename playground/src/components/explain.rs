//! The why-trace of one resource: policies considered, what happened, each cluster's verdicts, the division.

use karmada_policy_core::report::ExplainedResource;
use yew::prelude::*;

/// Props of [`Explain`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The resource and its why-trace.
    pub resource: ExplainedResource,
}

/// The panel.
#[function_component(Explain)]
pub fn explain(p: &Props) -> Html {
    let (r, explain) = (&p.resource.result, &p.resource.explain);
    let title = if r.namespace.is_empty() {
        format!("{} {}", r.kind, r.name)
    } else {
        format!("{} {}/{}", r.kind, r.namespace, r.name)
    };
    html! {
        <section class="explain" id="explain">
            <h2>{ format!("Why: {title}") }</h2>
            <h3>{"Policies considered"}</h3>
            if explain.policies.is_empty() { <p class="empty">{"No policy in scope."}</p> } else {
                <table><thead><tr><th>{"POLICY"}</th><th>{"PRIORITY"}</th><th>{"MATCH"}</th><th>{"PREEMPTION"}</th><th>{"VERDICT"}</th><th>{"WHY"}</th></tr></thead>
                <tbody>{ for explain.policies.iter().map(|v| html! {
                    <tr class={ if v.verdict == "claims" { "claims" } else { "" } }>
                        <td>{ format!("{}/{}", v.policy.kind, v.policy.name) }</td><td>{ v.priority }</td>
                        <td>{ match v.implicit_priority { 3 => "name", 2 => "labelSelector", 1 => "kind", _ => "-" } }</td>
                        <td>{ if v.preemption { "Always" } else { "Never" } }</td><td>{ &v.verdict }</td><td>{ &v.reason }</td>
                    </tr>
                }) }</tbody></table>
            }
            <h3>{"What happened"}</h3>
            <ol class="events">{ for explain.events.iter().map(|e| html! {
                <li><span class="step">{ format!("step {}", e.step) }</span>{" "}<b>{ format!("{:?}", e.kind) }</b>{ if e.message.is_empty() { String::new() } else { format!(": {}", e.message) } }</li>
            }) }</ol>
            if let Some(s) = &explain.scheduler {
                <h3>{"Clusters"}</h3>
                { for s.affinity_groups.iter().map(|g| html! {
                    <p class="group">{ format!("clusterAffinities[{}] {}: {}", g.index, g.affinity_name, g.error.clone().unwrap_or_else(|| "scheduled".into())) }</p>
                }) }
                <table id="clusters"><thead><tr><th>{"CLUSTER"}</th><th>{"FILTERS"}</th><th>{"SCORE"}</th><th>{"AVAILABLE"}</th><th>{"SELECTED"}</th><th>{"REPLICAS"}</th></tr></thead>
                <tbody>{ for s.clusters.iter().map(|c| {
                    let failed: Vec<String> = c.filters.iter().filter(|f| !f.passed).map(|f| format!("{} ✗ {}", f.plugin, f.reason.clone().unwrap_or_default())).collect();
                    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "-".into());
                    html! {
                        <tr class={ if c.selected { "selected-cluster" } else { "" } }>
                            <td>{ &c.name }</td>
                            <td>{ if failed.is_empty() { "all passed".to_string() } else { failed.join("; ") } }</td>
                            <td>{ opt(c.score) }</td><td>{ opt(c.available_replicas) }</td>
                            <td>{ if c.selected { "yes" } else { "no" } }</td><td>{ opt(c.replicas) }</td>
                        </tr>
                    }
                }) }</tbody></table>
                if let Some(d) = &s.division {
                    <p class="division">{ format!("Division: {} — {}", d.strategy, d.result.iter().map(|e| format!("{}:{}", e.cluster, e.value)).collect::<Vec<_>>().join(", ")) }</p>
                }
                if let Some(e) = &s.error { <p class="error">{ e }</p> }
            }
            if !explain.overrides.is_empty() {
                <h3>{"Overrides"}</h3>
                <ul>{ for explain.overrides.iter().map(|o| {
                    let rules: Vec<String> = o.applied.iter().map(|a| format!("{} [{}]", a.display(), a.overriders.join("; "))).collect();
                    let what = match &o.error {
                        Some(e) => format!("build failed: {e}"),
                        None if rules.is_empty() => "no rule applies".to_string(),
                        None => rules.join(" → "),
                    };
                    html! { <li><b>{ &o.cluster }</b>{ format!(": {what}") }</li> }
                }) }</ul>
            }
        </section>
    }
}
