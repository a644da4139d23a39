//! The resource table: one row per resource template, like `karmada-policy evaluate -o wide`. Drawn a page at
//! a time (a 10,000-resource fleet is 200 DOM rows until asked for more) with a filter; rows are reachable by
//! Tab, and Enter/Space or the arrow keys select.

use super::policy_name;
use crate::protocol::RowsPage;
use crate::state::PAGE;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

/// Props of [`Resources`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// The rows to draw (the worker filters and pages them).
    pub page: Rc<RowsPage>,
    /// Selected key.
    pub selected: Option<String>,
    /// Filter text.
    pub filter: String,
    /// Select a row.
    pub on_select: Callback<String>,
    /// Filter changed.
    pub on_filter: Callback<String>,
    /// Show more rows.
    pub on_more: Callback<()>,
}

fn focus_sibling(e: &KeyboardEvent, down: bool) -> Option<String> {
    let row = e.target()?.dyn_into::<HtmlElement>().ok()?;
    let next = if down { row.next_element_sibling() } else { row.previous_element_sibling() }?;
    let next = next.dyn_into::<HtmlElement>().ok()?;
    let _ = next.focus();
    next.get_attribute("data-key")
}

/// A placement cell: the `cluster:replicas` list, after its count when it is long (the list is cut to three
/// lines but in the selected row; hovering shows it all). Lines break between entries, not inside a name.
fn placement(list: &str) -> Html {
    let n = if list == "<none>" { 0 } else { list.split(", ").count() };
    let last = n.saturating_sub(1);
    html! {
        <span class="clusters" title={ (n > 3).then(|| list.to_string()) }>
            if n > 3 { <span class="n">{ format!("{n} clusters · ") }</span> }
            { for list.split(", ").enumerate().map(|(i, c)| html! {
                <><span class="c">{ c }</span>{ if i < last { ", " } else { "" } }</>
            }) }
        </span>
    }
}

/// The table.
#[function_component(Resources)]
pub fn resources(p: &Props) -> Html {
    let (total, matching) = (p.page.total, p.page.matching);
    let shown = p.page.rows.len();
    // A fleet without member objects or errors leaves APPLY and ERROR empty: those columns are not drawn then
    // (they pushed the table past the pane's width).
    let (apply, error) =
        (p.page.rows.iter().any(|r| !r.apply.is_empty()), p.page.rows.iter().any(|r| !r.error.is_empty()));
    let headers = ["NAMESPACE", "NAME", "KIND", "POLICY", "PLACEMENT"]
        .into_iter()
        .chain(apply.then_some("APPLY"))
        .chain(error.then_some("ERROR"));
    let oninput = {
        let cb = p.on_filter.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    html! {
        <div class="resources-view">
            <div class="table-tools">
                <label for="filter">{"Filter"}</label>
                <input id="filter" type="search" placeholder="name, kind, policy, cluster…" value={p.filter.clone()} {oninput} />
                <span class="count" id="row-count">{ if matching == total { format!("{shown} of {total} resources") } else { format!("{shown} of {matching} matching ({total} resources)") } }</span>
            </div>
            if total == 0 {
                <p class="empty">{"No resource template in the scenario."}</p>
            } else {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Resources table">
                <table class="resources" id="resources" role="grid" aria-label="Resources: policy and placement of each template">
                    // Explicit grid roles: at phone width the rows are drawn as cards (index.html), which would
                    // drop a table's implicit ones.
                    <thead role="rowgroup"><tr role="row">
                        { for headers.map(|h| html! { <th scope="col" role="columnheader">{ h }</th> }) }
                    </tr></thead>
                    <tbody role="rowgroup">
                    { for p.page.rows.iter().map(|r| {
                        let key = r.key.clone();
                        let selected = p.selected.as_ref() == Some(&r.key);
                        let onclick = { let cb = p.on_select.clone(); let key = key.clone(); Callback::from(move |_| cb.emit(key.clone())) };
                        let onkeydown = {
                            let cb = p.on_select.clone();
                            let key = key.clone();
                            Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
                                "Enter" | " " => { e.prevent_default(); cb.emit(key.clone()); }
                                "ArrowDown" | "ArrowUp" => {
                                    e.prevent_default();
                                    if let Some(k) = focus_sibling(&e, e.key() == "ArrowDown") { cb.emit(k); }
                                }
                                _ => {}
                            })
                        };
                        html! {
                            <tr role="row" class={ if selected { "selected" } else { "" } } {onclick} {onkeydown} tabindex="0"
                                aria-selected={ if selected { "true" } else { "false" } } data-key={key} data-name={r.name.clone()}>
                                <td role="gridcell">{ &r.namespace }</td><td role="gridcell">{ &r.name }</td><td role="gridcell">{ &r.kind }</td>
                                <td role="gridcell" class="policy">{ policy_name(&r.policy) }</td>
                                <td role="gridcell" class="placement">{ placement(&r.placement) }</td>
                                if apply { <td role="gridcell" class="apply">{ &r.apply }</td> }
                                if error { <td role="gridcell" class="error">{ &r.error }</td> }
                            </tr>
                        }
                    }) }
                    </tbody>
                </table>
                </div>
                if matching > shown {
                    <button class="more" id="more-rows" onclick={ let cb = p.on_more.clone(); Callback::from(move |_| cb.emit(())) }>
                        { format!("Show {} more ({} not shown)", PAGE.min(matching - shown), matching - shown) }
                    </button>
                }
            }
        </div>
    }
}
