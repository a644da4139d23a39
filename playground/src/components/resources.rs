//! The resource table: one row per resource template, like `karmada-policy evaluate -o wide`.

use karmada_policy_core::report::ResourceResult;
use yew::prelude::*;

/// Props of [`Resources`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Resources of the report.
    pub resources: Vec<ResourceResult>,
    /// Selected row.
    pub selected: Option<usize>,
    /// Row clicked.
    pub on_select: Callback<usize>,
}

/// The table.
#[function_component(Resources)]
pub fn resources(p: &Props) -> Html {
    if p.resources.is_empty() {
        return html! { <p class="empty">{"No resource template in the scenario."}</p> };
    }
    html! {
        <table class="resources" id="resources">
            <thead><tr><th>{"NAMESPACE"}</th><th>{"NAME"}</th><th>{"KIND"}</th><th>{"POLICY"}</th><th>{"PLACEMENT"}</th><th>{"APPLY"}</th><th>{"ERROR"}</th></tr></thead>
            <tbody>
            { for p.resources.iter().enumerate().map(|(i, r)| {
                let onclick = { let cb = p.on_select.clone(); Callback::from(move |_| cb.emit(i)) };
                let class = if p.selected == Some(i) { "selected" } else { "" };
                let policy = r.policy.as_ref().map(|x| format!("{}/{}", x.kind, x.name)).unwrap_or_else(|| "<none>".into());
                let placement = if r.placement.is_empty() { "<none>".to_string() } else {
                    r.placement.iter().map(|x| format!("{}:{}", x.cluster, x.replicas)).collect::<Vec<_>>().join(", ")
                };
                let apply = r.apply.as_ref().map(|a| a.iter().map(|e| format!("{}:{:?}", e.cluster, e.result)).collect::<Vec<_>>().join(", ")).unwrap_or_default();
                html! {
                    <tr {class} {onclick} data-name={r.name.clone()}>
                        <td>{ if r.namespace.is_empty() { "<cluster>".to_string() } else { r.namespace.clone() } }</td>
                        <td>{ &r.name }</td><td>{ &r.kind }</td>
                        <td class="policy">{ policy }</td><td class="placement">{ placement }</td>
                        <td>{ apply }</td><td class="error">{ r.error.clone().unwrap_or_default() }</td>
                    </tr>
                }
            }) }
            </tbody>
        </table>
    }
}
