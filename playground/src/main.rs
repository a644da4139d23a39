//! The karmada-policy playground: paste YAML, see which policy claims each resource, where it lands, the
//! preemption timeline and the reasons. Everything runs in the page; nothing leaves the browser.

mod components;
mod share;
mod state;

use components::diagnostics::Diagnostics;
use components::explain::Explain;
use components::resources::Resources;
use components::timeline::Timeline;
use gloo_timers::callback::Timeout;
use karmada_policy_core::report::KARMADA_VERSION;
use state::{Action, Gate, State, Tab};
use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

const SEED: &str = include_str!("../../examples/seamless-migration.yaml");

fn initial_text() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|h| share::decode(&h))
        .unwrap_or_else(|| SEED.to_string())
}

#[function_component(App)]
fn app() -> Html {
    let state = use_reducer(|| State::new(initial_text()));
    let editor = use_node_ref();
    let pending = use_mut_ref(|| None::<Timeout>);
    let share_url = use_state(String::new);

    // The textarea is uncontrolled: its text is set once (defaultvalue), then only the user changes it.
    let initial = use_memo((), |_| state.yaml.clone());
    let oninput = {
        let state = state.clone();
        let pending = pending.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let dispatch = state.dispatcher();
            // Debounce: evaluate 250 ms after the last keystroke.
            *pending.borrow_mut() = Some(Timeout::new(250, move || dispatch.dispatch(Action::Edit(text))));
        })
    };
    let ongate = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let gate = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "on" => Gate::On,
                "off" => Gate::Off,
                _ => Gate::FromScenario,
            };
            state.dispatch(Action::SetGate(gate));
        })
    };
    let onshare = {
        let state = state.clone();
        let share_url = share_url.clone();
        Callback::from(move |_| {
            let fragment = share::encode(&state.yaml);
            if let Some(w) = web_sys::window() {
                let _ = w.location().set_hash(&fragment);
                if let Ok(href) = w.location().href() {
                    share_url.set(href);
                }
            }
        })
    };
    let tab = |t: Tab, label: String| {
        let state = state.clone();
        let class = if state.tab == t { "tab active" } else { "tab" };
        let onclick = Callback::from(move |_| state.dispatch(Action::Show(t)));
        html! { <button {class} {onclick}>{ label }</button> }
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |i| state.dispatch(Action::Select(i)))
    };
    let errors = state.errors();
    let warnings = state.warnings();
    let body = match (&state.report, state.tab) {
        (_, Tab::Diagnostics) | (None, _) => html! { <Diagnostics diagnostics={state.diagnostics.clone()} /> },
        (Some(r), Tab::Timeline) => html! { <Timeline report={r.clone()} /> },
        (Some(r), Tab::Resources) => {
            let selected = state.explained.clone();
            html! {
                <>
                    <Resources resources={r.resources.clone()} selected={state.selected} on_select={on_select} />
                    if let Some(res) = selected { <Explain resource={res} /> }
                </>
            }
        }
    };
    html! {
        <div class="app">
            <header>
                <h1>{"karmada-policy playground"}</h1>
                <span class="version" id="version">{ format!("engine {} · Karmada {KARMADA_VERSION} semantics", env!("CARGO_PKG_VERSION")) }</span>
                <label>{"PropagationPolicyPreemption "}
                    <select id="gate" onchange={ongate}>
                        <option value="scenario" selected={state.gate == Gate::FromScenario}>{"as the scenario says"}</option>
                        <option value="on" selected={state.gate == Gate::On}>{"on"}</option>
                        <option value="off" selected={state.gate == Gate::Off}>{"off"}</option>
                    </select>
                </label>
                <button id="share" onclick={onshare}>{"Share link"}</button>
                if !share_url.is_empty() { <input class="share-url" readonly=true value={(*share_url).clone()} /> }
            </header>
            <main>
                <section class="editor">
                    <textarea id="yaml" ref={editor} {oninput} spellcheck="false" defaultvalue={(*initial).clone()}
                        aria-label="Scenario YAML: Clusters, (Cluster)PropagationPolicies and resource templates" />
                    <p class="hint">{"Documents apply in order like successive kubectl apply. Directives: # feature-gates: …, # context: member1, # delete: Kind ns/name. Nothing leaves this page."}</p>
                </section>
                <section class="results">
                    <nav>
                        { tab(Tab::Resources, "Resources".into()) }
                        { tab(Tab::Timeline, "Timeline".into()) }
                        { tab(Tab::Diagnostics, format!("Diagnostics ({errors} errors, {warnings} warnings)")) }
                    </nav>
                    if state.report.is_none() {
                        <p class="input-error" id="input-error">{"The input cannot be evaluated; your text is kept. Fix the errors below."}</p>
                    }
                    { body }
                </section>
            </main>
        </div>
    }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
