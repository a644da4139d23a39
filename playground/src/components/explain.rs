//! The why-trace of the selected resource: policies considered, what happened, each cluster's verdicts, the
//! division. The worker computes it on demand; this only draws it.

use super::{policy_name, wrappable};
use crate::protocol::{Diag, ExplainView};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Explain`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The trace.
    pub x: Rc<ExplainView>,
    /// A denial's position was clicked.
    pub on_pick: Callback<Diag>,
}

/// The panel.
#[function_component(Explain)]
pub fn explain(p: &Props) -> Html {
    let x = &p.x;
    html! {
        <section class="explain" id="explain" aria-labelledby="explain-title">
            <h2 id="explain-title">{ format!("Why: {}", x.title) }</h2>
            <h3>{"Policies considered"}</h3>
            if x.policies.is_empty() { <p class="empty">{"No policy in scope."}</p> } else {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table id="policies" role="table" aria-label="Policies considered"><thead role="rowgroup"><tr role="row">
                    { for ["POLICY", "PRIORITY", "MATCH", "PREEMPTION", "VERDICT", "WHY"].iter().map(|h| html! { <th scope="col" role="columnheader">{ *h }</th> }) }
                </tr></thead>
                <tbody role="rowgroup">{ for x.policies.iter().map(|v| html! {
                    <tr role="row" class={ v.verdict.replace(' ', "-") }>
                        <td role="cell">{ policy_name(&v.policy) }</td><td role="cell">{ v.priority }</td><td role="cell">{ wrappable(&v.matched) }</td>
                        <td role="cell">{ &v.preemption }</td><td role="cell">{ &v.verdict }</td><td role="cell">{ wrappable(&v.reason) }
                        if let Some(d) = &v.denial {
                            {" "}<button class="at" onclick={ let cb = p.on_pick.clone(); let d = d.clone(); Callback::from(move |_| cb.emit(d.clone())) }
                                aria-label={ format!("Select line {}:{} in the editor", d.line, d.col) }>{ format!("line {}:{}", d.line, d.col) }</button>
                        }
                        </td>
                    </tr>
                }) }</tbody></table></div>
            }
            <h3>{"What happened"}</h3>
            <ol class="events">{ for x.events.iter().map(|(step, kind, msg)| html! {
                <li><span class="step">{ format!("step {step}") }</span>{" "}<b>{ kind }</b>{ if msg.is_empty() { String::new() } else { format!(": {msg}") } }</li>
            }) }</ol>
            if !x.clusters.is_empty() {
                <h3>{"Clusters"}</h3>
                { for x.groups.iter().map(|g| html! { <p class="group">{ g }</p> }) }
                <div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table id="clusters" role="table" aria-label="Clusters"><thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">{"CLUSTER"}</th><th scope="col" role="columnheader">{"FILTERS"}</th>
                if let Some(sp) = &x.score_plugin { <th scope="col" role="columnheader">{ format!("SCORE ({sp})") }</th> }
                <th scope="col" role="columnheader">{"AVAILABLE"}</th><th scope="col" role="columnheader">{"SELECTED"}</th><th scope="col" role="columnheader">{"REPLICAS"}</th></tr></thead>
                <tbody role="rowgroup">{ for x.clusters.iter().map(|c| html! {
                    <tr role="row" class={ if c.selected { "selected-cluster" } else { "" } }>
                        <td role="cell">{ wrappable(&c.name) }</td><td role="cell">{ wrappable(&c.filters) }</td>
                        if x.score_plugin.is_some() { <td role="cell" class="score">{ &c.score }</td> }
                        <td role="cell">{ &c.available }</td>
                        <td role="cell">{ if c.selected { "yes" } else { "no" } }</td><td role="cell">{ &c.replicas }</td>
                    </tr>
                }) }</tbody></table></div>
                if let Some(d) = &x.division { <p class="division">{ format!("Division: {d}") }</p> }
                <h3>{"Cluster funnel"}</h3>
                <div id="draw-funnel" class="draw" />
            }
            if let Some(e) = &x.error { <p class="error">{ e }</p> }
            if !x.overrides.is_empty() {
                <h3>{"Overrides"}</h3>
                <ul>{ for x.overrides.iter().map(|(c, what)| html! { <li><b>{ c }</b>{ format!(": {what}") }</li> }) }</ul>
            }
        </section>
    }
}
