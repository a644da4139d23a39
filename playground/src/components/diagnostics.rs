//! Errors and warnings with their line and column (UTF-16, as the editor counts).

use karmada_policy_core::Diagnostic;
use yew::prelude::*;

/// Props of [`Diagnostics`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Diagnostics to list.
    pub diagnostics: Vec<Diagnostic>,
}

/// The list.
#[function_component(Diagnostics)]
pub fn diagnostics(p: &Props) -> Html {
    if p.diagnostics.is_empty() {
        return html! { <p class="empty">{"No diagnostics."}</p> };
    }
    html! {
        <ul class="diagnostics" id="diagnostics">
        { for p.diagnostics.iter().map(|d| {
            let at = d.span.map(|s| format!("{}:{} ", s.start.line, s.start.column_utf16)).unwrap_or_default();
            html! {
                <li class={ d.severity.as_str() }>
                    <span class="at">{ at }</span><b>{ format!("{}[{}]", d.severity.as_str(), d.code) }</b>{ format!(" {}", d.message) }
                    if let Some(h) = &d.help { <div class="help">{ format!("help: {h}") }</div> }
                </li>
            }
        }) }
        </ul>
    }
}
