//! Errors and warnings with their line and column (UTF-16, as the editor counts); clicking one selects its
//! range in the editor.

use crate::protocol::Diag;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Diagnostics`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Diagnostics to list.
    pub diagnostics: Rc<Vec<Diag>>,
    /// A diagnostic was clicked.
    pub on_pick: Callback<Diag>,
}

/// The list.
#[function_component(Diagnostics)]
pub fn diagnostics(p: &Props) -> Html {
    if p.diagnostics.is_empty() {
        return html! { <p class="empty" id="diagnostics">{"No diagnostics."}</p> };
    }
    html! {
        <ul class="diagnostics" id="diagnostics">
        { for p.diagnostics.iter().map(|d| {
            let at = if d.line > 0 { format!("{}:{}", d.line, d.col) } else { "-".to_string() };
            let onclick = { let cb = p.on_pick.clone(); let d = d.clone(); Callback::from(move |_| cb.emit(d.clone())) };
            html! {
                <li class={ d.severity.clone() }>
                    <button class="at" {onclick} disabled={d.line == 0} aria-label={ format!("Select line {at} in the editor") }>{ at }</button>
                    {" "}<b>{ format!("{}[{}]", d.severity, d.code) }</b>{ format!(" {}", d.message) }
                    if let Some(h) = &d.help { <div class="help">{ format!("help: {h}") }</div> }
                </li>
            }
        }) }
        </ul>
    }
}
