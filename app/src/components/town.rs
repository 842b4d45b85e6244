//! Pieces of the town admin's pages.

use leptos::prelude::*;

/// The links between the town admin's oversight pages.
#[component]
pub fn TownNav(current: &'static str) -> impl IntoView {
    const LINKS: [(&str, &str); 6] = [
        ("/town", "镇工作台"),
        ("/town/setup", "村（社区）设置"),
        ("/town/acceptance", "验收"),
        ("/town/scores", "人居环境评分"),
        ("/town/flags", "一票否决"),
        ("/town/staff", "工作人员"),
    ];
    view! {
        <nav class="tabs town-tabs" aria-label="镇管理">
            {LINKS.iter().map(|(path, label)| view! {
                <a href=*path class="tab" class:active=*path == current
                    aria-current=(*path == current).then_some("page")>{*label}</a>
            }).collect_view()}
        </nav>
    }
}
