//! The story, step by step: each document or directive and what Karmada did.

use karmada_policy_core::report::Report;
use yew::prelude::*;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The report.
    pub report: Report,
}

/// The timeline.
#[function_component(Timeline)]
pub fn timeline(p: &Props) -> Html {
    html! {
        <div class="timeline" id="timeline">
        { for p.report.steps.iter().map(|st| {
            let events: Vec<_> = p.report.timeline.iter().filter(|e| e.step == st.step).collect();
            let ctx = if st.context == "karmada-apiserver" { String::new() } else { format!(" (context {})", st.context) };
            html! {
                <div class="step">
                    <h4>{ format!("step {} · document {} · {} {}{ctx}", st.step, st.document, st.action, st.object) }</h4>
                    <ul>{ for events.iter().map(|e| html! {
                        <li><b>{ format!("{:?}", e.kind) }</b>{ format!(" {}", e.subject) }{ if e.message.is_empty() { String::new() } else { format!(": {}", e.message) } }</li>
                    }) }</ul>
                </div>
            }
        }) }
        </div>
    }
}
