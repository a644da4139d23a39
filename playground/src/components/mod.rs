//! The page's components.

pub mod diagnostics;
pub mod explain;
pub mod resources;
pub mod timeline;

use yew::prelude::*;

/// Text that may wrap after `-`, `/`, `.`, `=`, `:`, `;` or `,` and, at phone width, inside a camel-case word
/// (`Cluster` `Propagation` `Policy/`, `label` `Selector`: a `<wbr class="c">`, which index.html hides on wider
/// screens), besides its spaces: a `<wbr>` at each such place, so a narrow table column breaks `member-042` as
/// `member-` `042`, never as `member-0` `42` (a zero-width space would be copied with the text).
pub fn wrappable(text: &str) -> Html {
    let mut pieces = Vec::new();
    let (mut start, mut prev, mut camel) = (0, ' ', false);
    for (i, c) in text.char_indices() {
        let hump = prev.is_ascii_lowercase() && c.is_ascii_uppercase();
        if i > start && (matches!(prev, '-' | '/' | '.' | '=' | ':' | ';' | ',') || hump) {
            pieces.push((camel, &text[start..i]));
            (start, camel) = (i, hump);
        }
        prev = c;
    }
    pieces.push((camel, &text[start..]));
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, (camel, p))| match (i, camel) {
            (0, _) => html! { p },
            (_, true) => html! { <><wbr class="c" />{ p }</> },
            _ => html! { <><wbr />{ p }</> },
        })
        .collect()
}

/// `Kind/name` that may wrap inside the kind's camel case and after the slash, the name kept whole on one
/// line where it fits (an inline block: it breaks inside, after a `-` or `.`, only when wider than its
/// column or card).
pub fn policy_name(policy: &str) -> Html {
    match policy.split_once('/') {
        Some((kind, name)) => {
            html! { <>{ wrappable(kind) }{ "/" }<wbr /><span class="pn">{ wrappable(name) }</span></> }
        }
        None => html! { { policy } },
    }
}
