//! The story, step by step: each document or directive and what Karmada did, a page of steps at a time (the
//! worker sends only the steps asked for).

use crate::protocol::StepView;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct Props {
    /// (total steps, the steps drawn).
    pub page: Option<Rc<(usize, Vec<StepView>)>>,
    /// Show more steps.
    pub on_more: Callback<()>,
}

/// The timeline.
#[function_component(Timeline)]
pub fn timeline(p: &Props) -> Html {
    let Some(page) = &p.page else { return html! { <p class="empty">{"Loading the timeline…"}</p> } };
    let (total, steps) = (page.0, &page.1);
    html! {
        <div class="timeline" id="timeline">
            <h3>{"Who owns what, step by step"}</h3>
            <div id="draw-lanes" class="draw" data-steps={total.to_string()} />
            <h3>{"Events"}</h3>
            { for steps.iter().map(|st| html! {
                <div class="step">
                    <h4>{ &st.title }</h4>
                    <ul>{ for st.events.iter().map(|(kind, text)| html! { <li><b>{ kind }</b>{ format!(" {text}") }</li> }) }</ul>
                </div>
            }) }
            if total > steps.len() {
                <button class="more" id="more-steps" onclick={ let cb = p.on_more.clone(); Callback::from(move |_| cb.emit(())) }>
                    { format!("Show more steps ({} of {total} shown)", steps.len()) }
                </button>
            }
        </div>
    }
}
