//! The page (wasm only): the header (examples, gate, share, export), the CodeMirror editor and the result
//! views. Evaluation happens in the worker pool (web/pool.js): this thread only draws what comes back.

use crate::components::diagnostics::Diagnostics;
use crate::components::explain::Explain;
use crate::components::resources::Resources;
use crate::components::timeline::Timeline;
use crate::examples::{seed, EXAMPLES};
use crate::protocol::{Diag, Format, Gate, Request, Response, Shared, Tab};
use crate::share;
use crate::state::{Action, State};
use gloo_timers::callback::Timeout;
use karmada_policy_core::report::KARMADA_VERSION;
use karmada_policy_core::util::golower::to_lower;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = kp, js_name = editorCreate)]
    fn editor_create(parent: &web_sys::Element, text: &str, autosave: bool, on_change: &Closure<dyn FnMut()>);
    #[wasm_bindgen(js_namespace = kp, js_name = editorLength)]
    fn editor_length() -> usize;
    #[wasm_bindgen(js_namespace = kp, js_name = editorSetText)]
    fn editor_set_text(text: &str);
    #[wasm_bindgen(js_namespace = kp, js_name = editorDiagnostics)]
    fn editor_diagnostics(json: &str, stale: bool);
    #[wasm_bindgen(js_namespace = kp, js_name = editorSelect)]
    fn editor_select(line: usize, col: usize, end_line: usize, end_col: usize);
    /// The `#v2:` state the boot script inflated, if the page was opened from such a link.
    #[wasm_bindgen(js_namespace = kp, js_name = initialState)]
    fn initial_state() -> Option<String>;
    #[wasm_bindgen(js_namespace = kp, js_name = autosaved)]
    fn autosaved() -> Option<String>;
    /// Posts a request (the workers keep their own copy of the editor's text).
    #[wasm_bindgen(js_namespace = kp, js_name = post)]
    fn pool_post(kind: &str, json: &str);
    #[wasm_bindgen(js_namespace = kp, js_name = listen)]
    fn pool_listen(cb: &Closure<dyn FnMut(String)>);
    #[wasm_bindgen(js_namespace = kp, js_name = copy)]
    fn copy_text(text: &str);
    #[wasm_bindgen(js_namespace = kp, js_name = download)]
    fn download(name: &str, mime: &str, text: &str);
    #[wasm_bindgen(js_namespace = kp, js_name = setFragment)]
    fn set_fragment(fragment: &str);
    /// Draws the placement matrix into `#draw-matrix` (web/main.js keeps its grouping, zoom and scroll).
    #[wasm_bindgen(js_namespace = kp, js_name = drawMatrix)]
    fn draw_matrix(filter: &str);
    /// Draws the cluster funnel of the why-trace shown into `#draw-funnel` (its cluster rows and division).
    #[wasm_bindgen(js_namespace = kp, js_name = drawFunnel)]
    fn draw_funnel(json: &str);
    /// A resource picked in a picture (the matrix).
    #[wasm_bindgen(js_namespace = kp, js_name = pickListen)]
    fn pick_listen(cb: &Closure<dyn FnMut(String)>);
}

/// A scenario this large (bytes) is debounced longer while the user types fast (a bench fleet; its
/// evaluation takes seconds).
const LARGE: usize = 256 * 1024;
/// An edit this soon (ms) after the previous one is part of a burst of typing.
const BURST_MS: f64 = 150.0;

/// The app's mounting point.
pub fn render() {
    yew::Renderer::<App>::new().render();
}

fn embedded() -> bool {
    web_sys::window().and_then(|w| w.location().search().ok()).is_some_and(|s| s.contains("embed=1"))
}

/// The starting state: a share link, else the autosaved text (not when embedded), else the seed.
fn initial() -> Shared {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let from_link = initial_state().and_then(|json| share::parse_v2(&json)).or_else(|| share::decode_v1(&hash));
    from_link.unwrap_or_else(|| {
        let text = if embedded() { None } else { autosaved() };
        Shared { text: text.unwrap_or_else(|| seed().to_string()), ..Shared::default() }
    })
}

/// Posts a request to the worker pool.
pub(crate) fn post(r: &Request) {
    if let Ok(json) = serde_json::to_string(r) {
        pool_post(r.kind(), &json);
    }
}

/// What the long-lived callbacks (editor, worker) need from the latest render.
#[derive(Default)]
struct Ctx {
    gate: Gate,
    selected: Option<String>,
    filter: String,
    limit: usize,
    edit: u32,
    debounce: Option<Timeout>,
    /// When the editor last changed (ms, `Date.now()`).
    changed_at: f64,
}

fn evaluate(ctx: &Rc<RefCell<Ctx>>, dispatch: &UseReducerDispatcher<State>) {
    let mut c = ctx.borrow_mut();
    c.edit += 1;
    let seq = c.edit;
    // Posted first: the worker starts while the page redraws for the edit.
    post(&Request::Evaluate {
        seq,
        text: String::new(),
        gate: c.gate,
        select: c.selected.clone(),
        filter: c.filter.clone(),
        limit: c.limit,
    });
    dispatch.dispatch(Action::Edited(seq));
}

fn cli_command(gate: Gate, selected: Option<&String>) -> String {
    let gates = gate.flag().map(|f| format!(" --feature-gates {f}")).unwrap_or_default();
    let mut cmd = format!("karmada-policy evaluate -o wide{gates} scenario.yaml");
    if let Some((kind, rest)) = selected.and_then(|k| k.split_once('/')) {
        if let Some((ns, name)) = rest.split_once('/') {
            let ns = if ns.is_empty() { String::new() } else { format!(" -n {ns}") };
            cmd.push_str(&format!(" && karmada-policy explain{gates} {}/{name}{ns} scenario.yaml", to_lower(kind)));
        }
    }
    cmd
}

#[function_component(App)]
fn app() -> Html {
    let start = use_memo((), |_| initial());
    let embed = use_memo((), |_| embedded());
    let state = use_reducer(|| State::new(start.gate, start.tab, start.selected.clone()));
    let ctx = use_mut_ref(Ctx::default);
    let editor = use_node_ref();
    let notice = use_state(String::new);
    {
        let mut c = ctx.borrow_mut();
        c.gate = state.gate;
        c.selected = state.selected.clone();
        c.filter = state.filter.clone();
        c.limit = state.limit;
    }

    // Once: the worker's answers, the editor, the first evaluation.
    {
        let (ctx, editor, dispatch, notice) = (ctx.clone(), editor.clone(), state.dispatcher(), notice.clone());
        let start = start.clone();
        let embed = *embed;
        use_effect_with((), move |_| {
            let on_answer = {
                let dispatch = dispatch.clone();
                Closure::<dyn FnMut(String)>::new(move |json: String| {
                    let Ok(r) = serde_json::from_str::<Response>(&json) else { return };
                    match &r {
                        Response::Exported { format, text, .. } => {
                            let (name, mime) = match format {
                                Format::Json => ("karmada-policy-result.json", "application/json"),
                                Format::Yaml => ("karmada-policy-result.yaml", "application/yaml"),
                            };
                            download(name, mime, text);
                        }
                        Response::Shared { fragment, copy } => {
                            set_fragment(fragment);
                            if *copy {
                                if let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) {
                                    let href = href.replace("?embed=1", "");
                                    copy_text(&href);
                                    notice.set(format!("Link copied ({} characters)", href.len()));
                                }
                            }
                        }
                        _ => {}
                    }
                    dispatch.dispatch(Action::Answer(r));
                })
            };
            pool_listen(&on_answer);
            on_answer.forget();
            let on_pick = {
                let dispatch = dispatch.clone();
                Closure::<dyn FnMut(String)>::new(move |key: String| {
                    dispatch.dispatch(Action::Select(key.clone()));
                    dispatch.dispatch(Action::Show(Tab::Resources));
                    post(&Request::Explain { key });
                })
            };
            pick_listen(&on_pick);
            on_pick.forget();
            let on_change = {
                let (ctx, dispatch) = (ctx.clone(), dispatch.clone());
                Closure::<dyn FnMut()>::new(move || {
                    let (ctx2, dispatch) = (ctx.clone(), dispatch.clone());
                    // Coalesce a burst of keystrokes; the worker pool supersedes a running evaluation anyway.
                    // In a large scenario a burst waits a little longer: each evaluation posted while one runs
                    // replaces a worker, and fast typing (a key every 50-60 ms) should not boot one per key.
                    // 60 ms (a faster typist's key interval) keeps most of a burst's keys from booting one;
                    // 70 ms held a burst's last answer back 10 ms longer and saved few boots. A lone edit is
                    // not held back for that: 30 ms sooner.
                    let now = js_sys::Date::now();
                    let burst = now - ctx.borrow().changed_at < BURST_MS;
                    let ms = if burst && editor_length() > LARGE { 60 } else { 30 };
                    let t = Timeout::new(ms, move || evaluate(&ctx2, &dispatch));
                    let mut c = ctx.borrow_mut();
                    c.debounce = Some(t);
                    c.changed_at = now;
                })
            };
            if let Some(el) = editor.cast::<web_sys::Element>() {
                editor_create(&el, &start.text, !embed, &on_change);
            }
            on_change.forget();
            evaluate(&ctx, &dispatch);
            || ()
        });
    }

    // Markers in the editor follow the latest answered diagnostics.
    {
        let stale = !state.latest_ok;
        use_effect_with((state.diagnostics.clone(), stale), move |(d, stale)| {
            if let Ok(json) = serde_json::to_string(&**d) {
                editor_diagnostics(&json, *stale);
            }
            || ()
        });
    }

    // The rows page follows the filter and "Show more" (the evaluation's first page may predate them).
    {
        let seq = state.shown.as_ref().map(|s| s.seq);
        let have = (state.rows.filter.clone(), state.rows.limit);
        use_effect_with((seq, state.filter.clone(), state.limit), move |(seq, filter, limit)| {
            if seq.is_some() && have != (filter.clone(), *limit) {
                post(&Request::Rows { filter: filter.clone(), limit: *limit });
            }
            || ()
        });
    }

    // The timeline page, asked for when shown.
    {
        let seq = state.shown.as_ref().map(|s| s.seq);
        use_effect_with((seq, state.tab, state.timeline_limit), move |(seq, tab, limit)| {
            if seq.is_some() && *tab == Tab::Timeline {
                post(&Request::Timeline { offset: 0, limit: *limit });
            }
            || ()
        });
    }

    // The pictures (drawn by the worker's JavaScript into `#draw-…`), asked for when shown.
    {
        let seq = state.shown.as_ref().map(|s| s.seq);
        use_effect_with((seq, state.tab, state.filter.clone()), move |(seq, tab, filter)| {
            match (seq, tab) {
                (Some(_), Tab::Timeline) => pool_post("draw-lanes", filter),
                (Some(_), Tab::Placement) => draw_matrix(filter),
                _ => {}
            }
            || ()
        });
        // The funnel of the why-trace shown, drawn by web/draw.js from its cluster rows.
        use_effect_with((state.tab, state.explain.clone()), move |(tab, x)| {
            if let (Tab::Resources, Some(x)) = (tab, x) {
                if let Ok(json) = serde_json::to_string(&(&x.clusters, &x.division)) {
                    draw_funnel(&json);
                }
            }
            || ()
        });
    }

    // The URL fragment follows the state (debounced; the worker compresses).
    {
        let pending = use_mut_ref(|| None::<Timeout>);
        use_effect_with(
            (state.edit, state.gate, state.selected.clone(), state.tab),
            move |(_, gate, selected, tab)| {
                let share = Request::Share {
                    state: Shared { text: String::new(), gate: *gate, selected: selected.clone(), tab: *tab },
                    copy: false,
                };
                *pending.borrow_mut() = Some(Timeout::new(400, move || post(&share)));
                || ()
            },
        );
    }

    let ongate = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |e: Event| {
            let gate = match e.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "on" => Gate::On,
                "off" => Gate::Off,
                _ => Gate::Scenario,
            };
            ctx.borrow_mut().gate = gate;
            state.dispatch(Action::SetGate(gate));
            evaluate(&ctx, &state.dispatcher());
        })
    };
    let onexample = {
        let (state, ctx) = (state.clone(), ctx.clone());
        Callback::from(move |e: Event| {
            let id = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some((_, _, text)) = EXAMPLES.iter().find(|x| x.0 == id) {
                {
                    let mut c = ctx.borrow_mut();
                    c.gate = Gate::Scenario;
                    c.selected = None;
                }
                state.dispatch(Action::SetGate(Gate::Scenario));
                editor_set_text(text);
            }
        })
    };
    let onshare = {
        let state = state.clone();
        Callback::from(move |_| {
            post(&Request::Share {
                state: Shared {
                    text: String::new(),
                    gate: state.gate,
                    selected: state.selected.clone(),
                    tab: state.tab,
                },
                copy: true,
            })
        })
    };
    let onexport = |format: Format| Callback::from(move |_| post(&Request::Export { format }));
    let oncli = {
        let (state, notice) = (state.clone(), notice.clone());
        Callback::from(move |_| {
            let cmd = cli_command(state.gate, state.selected.as_ref());
            copy_text(&cmd);
            notice.set(format!("Copied: {cmd}"));
        })
    };
    // Stable callbacks (the dispatcher never changes): the result components are not redrawn on keystrokes.
    let dispatch = state.dispatcher();
    let on_select = use_callback(dispatch.clone(), |key: String, d| {
        d.dispatch(Action::Select(key.clone()));
        post(&Request::Explain { key });
    });
    let on_pick = use_callback((), |d: Diag, _| editor_select(d.line, d.col, d.end_line, d.end_col));
    let on_filter = use_callback(dispatch.clone(), |f: String, d| d.dispatch(Action::Filter(f)));
    let on_more = use_callback(dispatch.clone(), |_: (), d| d.dispatch(Action::MoreRows));
    let on_more_steps = use_callback(dispatch, |_: (), d| d.dispatch(Action::MoreSteps));

    let tabs = [
        (Tab::Resources, "resources", "Resources".to_string()),
        (Tab::Timeline, "timeline", "Timeline".to_string()),
        (Tab::Placement, "placement", "Placement".to_string()),
        (
            Tab::Diagnostics,
            "diagnostics",
            format!("Diagnostics ({} errors, {} warnings)", state.count("error"), state.count("warning")),
        ),
    ];
    let tab_ids: Vec<Tab> = tabs.iter().map(|t| t.0).collect();
    let ontabkey = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let i = tab_ids.iter().position(|t| *t == state.tab).unwrap_or(0);
            let n = tab_ids.len();
            let next = match e.key().as_str() {
                "ArrowRight" => (i + 1) % n,
                "ArrowLeft" => (i + n - 1) % n,
                _ => return,
            };
            if let Some(t) = tab_ids.get(next) {
                state.dispatch(Action::Show(*t));
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&format!("tab-{}", tab_name(*t))))
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = el.focus();
                }
            }
        })
    };
    let tab_buttons = tabs.iter().map(|(t, id, label)| {
        let t = *t;
        let active = state.tab == t;
        let onclick = {
            let state = state.clone();
            Callback::from(move |_| state.dispatch(Action::Show(t)))
        };
        html! {
            <button role="tab" id={format!("tab-{id}")} class={ if active { "tab active" } else { "tab" } }
                aria-selected={ if active { "true" } else { "false" } } aria-controls="panel"
                tabindex={ if active { "0" } else { "-1" } } {onclick}>{ label }</button>
        }
    });

    let status = match (&state.shown, state.pending(), state.latest_ok) {
        (_, true, _) => "Evaluating…".to_string(),
        (Some(_), false, false) => {
            "The input has errors (marked in the editor): showing the last good result, greyed.".to_string()
        }
        (None, false, false) => "The input cannot be evaluated; your text is kept. Fix the marked errors.".to_string(),
        (Some(s), false, true) => {
            // A policy the webhook refused is never created: said here, not only on the Diagnostics tab.
            let denied = state.diagnostics.iter().filter(|d| d.code == "webhook-denied").count();
            let denied = if denied == 0 {
                String::new()
            } else {
                format!(" · {denied} policy(ies) refused by the admission webhook (see Diagnostics)")
            };
            format!(
                "{} resources · {} steps · evaluated in {} ms in a worker{denied}",
                state.rows.total, s.steps, s.core_ms
            )
        }
        (None, false, true) => String::new(),
    };
    let body = match (state.tab, &state.shown) {
        (Tab::Diagnostics, _) => html! { <Diagnostics diagnostics={state.diagnostics.clone()} {on_pick} /> },
        (_, None) => html! { <Diagnostics diagnostics={state.diagnostics.clone()} {on_pick} /> },
        (Tab::Timeline, Some(_)) => html! { <Timeline page={state.timeline.clone()} on_more={on_more_steps} /> },
        (Tab::Placement, Some(_)) => html! {
            <div class="matrix-view">
                <h3>{"Placement: resources × clusters"}</h3>
                <div id="draw-matrix" class="draw" />
            </div>
        },
        (Tab::Resources, Some(_)) => html! {
            <>
                <Resources page={state.rows.clone()} selected={state.selected.clone()} filter={state.filter.clone()}
                    {on_select} {on_filter} {on_more} />
                if let Some(x) = &state.explain { <Explain x={x.clone()} on_pick={on_pick.clone()} /> }
            </>
        },
    };
    let full_link =
        format!("./{}", if state.fragment.is_empty() { String::new() } else { format!("#{}", state.fragment) });
    let example_select = html! {
        <label class="control">{"Example "}
            <select id="examples" onchange={onexample}>
                <option value="" selected=true disabled=true>{"Load an example…"}</option>
                { for EXAMPLES.iter().map(|(id, title, _)| html! { <option value={*id}>{ *title }</option> }) }
            </select>
        </label>
    };
    html! {
        <div class={ if *embed { "app embed" } else { "app" } }>
            <header>
                <h1>{"karmada-policy playground"}</h1>
                if *embed {
                    { example_select }
                    <a class="open-full" href={full_link} target="_blank" rel="noopener">{"Open full playground ↗"}</a>
                } else {
                    <span class="version" id="version">{ format!("engine {} · Karmada {KARMADA_VERSION} semantics", env!("CARGO_PKG_VERSION")) }</span>
                    { example_select }
                    <label class="control">{"PropagationPolicyPreemption "}
                        <select id="gate" onchange={ongate}>
                            <option value="scenario" selected={state.gate == Gate::Scenario}>{"as the scenario says"}</option>
                            <option value="on" selected={state.gate == Gate::On}>{"on"}</option>
                            <option value="off" selected={state.gate == Gate::Off}>{"off"}</option>
                        </select>
                    </label>
                    if let Some(said) = state.shown.as_ref().and_then(|s| s.overridden) {
                        <span class="overridden" id="gate-overridden">{ format!("overrides the scenario's # feature-gates: PropagationPolicyPreemption={said}") }</span>
                    }
                    <div class="actions" role="group" aria-label="Share and export">
                        <button id="share" onclick={onshare}>{"Copy link"}</button>
                        <button id="export-json" onclick={onexport(Format::Json)}>{"Download JSON"}</button>
                        <button id="export-yaml" onclick={onexport(Format::Yaml)}>{"Download YAML"}</button>
                        <button id="copy-cli" onclick={oncli}>{"Copy CLI command"}</button>
                    </div>
                    <output id="notice" aria-live="polite">{ (*notice).clone() }</output>
                }
            </header>
            <main data-edit={state.edit.to_string()} data-answered={state.answered.to_string()}>
                <section class="editor" aria-label="Scenario editor">
                    <div id="editor" ref={editor} />
                    if !*embed {
                        <p class="hint">{"Documents apply in order like successive kubectl apply. Directives: # feature-gates: …, # context: member1, # delete: Kind ns/name. Tab indents (Esc then Tab leaves the editor). Nothing leaves this page."}</p>
                    }
                </section>
                <section class="results" aria-label="Results">
                    <div role="tablist" aria-label="Result views" onkeydown={ontabkey}>{ for tab_buttons }</div>
                    <p id="status" class={ if state.latest_ok { "status" } else { "status input-error" } } aria-live="polite">{ status }</p>
                    <div id="panel" role="tabpanel" aria-labelledby={format!("tab-{}", tab_name(state.tab))}
                        class={ if state.stale() && state.tab != Tab::Diagnostics { "panel stale" } else { "panel" } }>
                        { body }
                    </div>
                </section>
            </main>
        </div>
    }
}

fn tab_name(t: Tab) -> &'static str {
    match t {
        Tab::Resources => "resources",
        Tab::Timeline => "timeline",
        Tab::Placement => "placement",
        Tab::Diagnostics => "diagnostics",
    }
}
