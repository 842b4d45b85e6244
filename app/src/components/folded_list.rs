//! A long list that shows its newest items and folds the rest: a
//! household's entries grow all year, and a phone should not scroll past a
//! hundred of them to reach the redemptions. The fold is a `<details>`, so
//! it opens before the wasm arrives too.

use leptos::prelude::*;

/// How many items show before the fold.
pub const FIRST_SHOWN: usize = 20;

/// The items in a `<ul class=class>`: the first [`FIRST_SHOWN`], then the
/// rest under "显示更早的 N 条" in a second list of the same class.
#[component]
pub fn FoldedList<T, F, V>(
    items: Vec<T>,
    /// The lists' class.
    class: &'static str,
    /// The first list's `data-testid`; the folded one gets `<testid>-more`.
    testid: &'static str,
    /// How one item shows (an `<li>`).
    render: F,
) -> impl IntoView
where
    T: Send + Sync + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let mut first = items;
    let rest = first.split_off(first.len().min(FIRST_SHOWN));
    let more = rest.len();
    let render_rest = render.clone();
    view! {
        <ul class=class data-testid=testid>
            {first.into_iter().map(render).collect_view()}
        </ul>
        {(more > 0).then(|| view! {
            <details class="folded-more">
                <summary class="button" data-testid=format!("{testid}-fold")>{format!("显示更早的 {more} 条")}</summary>
                <ul class=class data-testid=format!("{testid}-more")>
                    {rest.into_iter().map(render_rest).collect_view()}
                </ul>
            </details>
        })}
    }
}
