//! The why-trace of the selected resource: policies considered, what happened, each cluster's verdicts, the
//! division. The worker computes it on demand; this only draws it.

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
                <div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table><thead><tr><th scope="col">{"POLICY"}</th><th scope="col">{"PRIORITY"}</th><th scope="col">{"MATCH"}</th><th scope="col">{"PREEMPTION"}</th><th scope="col">{"VERDICT"}</th><th scope="col">{"WHY"}</th></tr></thead>
                <tbody>{ for x.policies.iter().map(|v| html! {
                    <tr class={ v.verdict.replace(' ', "-") }>
                        <td>{ &v.policy }</td><td>{ v.priority }</td><td>{ &v.matched }</td>
                        <td>{ &v.preemption }</td><td>{ &v.verdict }</td><td>{ &v.reason }
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
                <div class="table-wrap" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table id="clusters"><thead><tr><th scope="col">{"CLUSTER"}</th><th scope="col">{"FILTERS"}</th>
                if let Some(sp) = &x.score_plugin { <th scope="col">{ format!("SCORE ({sp})") }</th> }
                <th scope="col">{"AVAILABLE"}</th><th scope="col">{"SELECTED"}</th><th scope="col">{"REPLICAS"}</th></tr></thead>
                <tbody>{ for x.clusters.iter().map(|c| html! {
                    <tr class={ if c.selected { "selected-cluster" } else { "" } }>
                        <td>{ &c.name }</td><td>{ &c.filters }</td>
                        if x.score_plugin.is_some() { <td>{ &c.score }</td> }
                        <td>{ &c.available }</td>
                        <td>{ if c.selected { "yes" } else { "no" } }</td><td>{ &c.replicas }</td>
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
