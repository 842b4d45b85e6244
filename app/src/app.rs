//! The root component, the HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::components::layout::{Footer, Header};
use crate::pages;

pub mod lazy;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="theme-color" content="#b3261e"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// Whether the page at `path` may use the camera (its Permissions-Policy
/// allows it): the supermarket counter, scanning household cards, and the
/// back office's activities, checking people in by card. Everything under
/// these prefixes is allowed, so moving between the section's pages in the
/// browser keeps the camera; a link into the section from elsewhere loads
/// the page afresh (`rel="external"`), since a document keeps the policy it
/// was loaded with.
pub fn may_use_camera(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    ["/kiosk", "/office/activities"].iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The document title of a page whose own title is `t`.
///
/// leptos_meta 0.8 writes the formatted title into the server-rendered
/// `<title>` as it is, without escaping, and page titles carry what users
/// typed (notice and activity titles, head names): on the server the text is
/// escaped here. In the browser it becomes `document.title`, which is plain
/// text, so escaping there would show the entities.
pub fn page_title(t: String) -> String {
    let full = if t.is_empty() {
        "高梁镇积分制平台".to_string()
    } else {
        format!("{t} - 高梁镇积分制平台")
    };
    if cfg!(feature = "ssr") {
        escape_html(&full)
    } else {
        full
    }
}

/// `text` with the characters that are markup in HTML text and attribute
/// values replaced by entities.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The application: header, routed page, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route's page says itself when it is interactive (`data-hydrated`
    // on <body>, `lazy::mark_hydrated`): its code arrives in its own chunk,
    // after the shell's.
    view! {
        <Stylesheet id="leptos" href="/pkg/gaoliang.css"/>
        <Title formatter=page_title/>
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view={Lazy::<lazy::HomeRoute>::new()}/>
                    <ParentRoute path=path!("/village/:id") view={Lazy::<lazy::VillageRoute>::new()} ssr=SsrMode::Async>
                        <Route path=path!("") view={Lazy::<lazy::VillageRulesRoute>::new()}/>
                        <Route path=path!("goods") view={Lazy::<lazy::VillageGoodsRoute>::new()}/>
                        <Route path=path!("board") view={Lazy::<lazy::VillageBoardRoute>::new()}/>
                        <Route path=path!("ranking") view={Lazy::<lazy::VillageRankingRoute>::new()}/>
                        <Route path=path!("ledger") view={Lazy::<lazy::VillageLedgerRoute>::new()}/>
                        <Route path=path!("notices") view={Lazy::<lazy::VillageNoticesRoute>::new()}/>
                        <Route path=path!("activities") view={Lazy::<lazy::VillageActivitiesRoute>::new()}/>
                    </ParentRoute>
                    <Route path=path!("/ranking") view={Lazy::<lazy::RankingRoute>::new()}/>
                    <Route path=path!("/search") view={Lazy::<lazy::SearchRoute>::new()}/>
                    <Route path=path!("/household/:card") view={Lazy::<lazy::HouseholdRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view={Lazy::<lazy::LoginRoute>::new()}/>
                    <Route path=path!("/town") view={Lazy::<lazy::TownHomeRoute>::new()}/>
                    <Route path=path!("/town/dashboard") view={Lazy::<lazy::TownDashboardRoute>::new()}/>
                    <Route path=path!("/town/dashboard/:village") view={Lazy::<lazy::VillageDashboardRoute>::new()}/>
                    <Route path=path!("/coverage") view={Lazy::<lazy::CoverageRoute>::new()}/>
                    <Route path=path!("/town/acceptance") view={Lazy::<lazy::TownAcceptanceRoute>::new()}/>
                    <Route path=path!("/town/acceptance/:village") view={Lazy::<lazy::TownAcceptanceVillageRoute>::new()}/>
                    <Route path=path!("/town/scores") view={Lazy::<lazy::TownScoresRoute>::new()}/>
                    <Route path=path!("/town/flags") view={Lazy::<lazy::TownFlagsRoute>::new()}/>
                    <Route path=path!("/town/staff") view={Lazy::<lazy::TownStaffRoute>::new()}/>
                    <Route path=path!("/town/setup") view={Lazy::<lazy::TownSetupRoute>::new()}/>
                    <Route path=path!("/town/evaluation") view={Lazy::<lazy::TownEvaluationRoute>::new()}/>
                    <Route path=path!("/town/funds") view={Lazy::<lazy::TownFundsRoute>::new()}/>
                    <Route path=path!("/town/funds/:village") view={Lazy::<lazy::VillageFundsRoute>::new()}/>
                    <Route path=path!("/funds") view={Lazy::<lazy::FundsRoute>::new()}/>
                    <Route path=path!("/office") view={Lazy::<lazy::OfficeRoute>::new()}/>
                    <Route path=path!("/office/batch") view={Lazy::<lazy::OfficeBatchRoute>::new()}/>
                    <Route path=path!("/office/groups") view={Lazy::<lazy::OfficeGroupsRoute>::new()}/>
                    <Route path=path!("/office/ledger") view={Lazy::<lazy::OfficeLedgerRoute>::new()}/>
                    <Route path=path!("/office/review") view={Lazy::<lazy::OfficeReviewRoute>::new()}/>
                    <Route path=path!("/office/rules") view={Lazy::<lazy::OfficeRulesRoute>::new()}/>
                    <Route path=path!("/ledger/:village/:month") view={Lazy::<lazy::LedgerRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/office/households") view={Lazy::<lazy::HouseholdsRoute>::new()}/>
                    <Route path=path!("/office/households/new") view={Lazy::<lazy::HouseholdNewRoute>::new()}/>
                    <Route path=path!("/office/households/edit/:id") view={Lazy::<lazy::HouseholdEditRoute>::new()}/>
                    <Route path=path!("/office/households/import") view={Lazy::<lazy::HouseholdImportRoute>::new()}/>
                    <Route path=path!("/office/households/cards") view={Lazy::<lazy::HouseholdCardsRoute>::new()}/>
                    <Route path=path!("/kiosk") view={Lazy::<lazy::KioskRoute>::new()}/>
                    <Route path=path!("/kiosk/today") view={Lazy::<lazy::KioskTodayRoute>::new()}/>
                    <Route path=path!("/kiosk/stock") view={Lazy::<lazy::KioskStockRoute>::new()}/>
                    <Route path=path!("/kiosk/stock/new") view={Lazy::<lazy::KioskGoodsNewRoute>::new()}/>
                    <Route path=path!("/kiosk/stock/goods/:id") view={Lazy::<lazy::KioskGoodsRoute>::new()}/>
                    <Route path=path!("/me") view={Lazy::<lazy::MeRoute>::new()}/>
                    <Route path=path!("/me/password") view={Lazy::<lazy::MePasswordRoute>::new()}/>
                    <Route path=path!("/score") view={Lazy::<lazy::ScorerRoute>::new()}/>
                    <Route path=path!("/office/assist/:id") view={Lazy::<lazy::AssistRoute>::new()}/>
                    <Route path=path!("/office/appeals") view={Lazy::<lazy::OfficeAppealsRoute>::new()}/>
                    <Route path=path!("/notices") view={Lazy::<lazy::TownNoticesRoute>::new()}/>
                    <Route path=path!("/notice/:id") view={Lazy::<lazy::NoticeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/office/notices") view={Lazy::<lazy::OfficeNoticesRoute>::new()}/>
                    <Route path=path!("/office/notices/new") view={Lazy::<lazy::OfficeNoticeNewRoute>::new()}/>
                    <Route path=path!("/office/notices/edit/:id") view={Lazy::<lazy::OfficeNoticeEditRoute>::new()}/>
                    <Route path=path!("/activities") view={Lazy::<lazy::TownActivitiesRoute>::new()}/>
                    <Route path=path!("/activity/:id") view={Lazy::<lazy::ActivityRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/office/activities") view={Lazy::<lazy::OfficeActivitiesRoute>::new()}/>
                    <Route path=path!("/office/activities/new") view={Lazy::<lazy::OfficeActivityNewRoute>::new()}/>
                    <Route path=path!("/office/activities/:id") view={Lazy::<lazy::OfficeActivityRoute>::new()}/>
                </Routes>
            </main>
            <Footer/>
        </Router>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn page_titles_are_escaped_on_the_server() {
        let t = page_title("</title><script>alert(1)</script>".into());
        assert!(!t.contains('<'), "{t}");
        assert_eq!(
            t,
            "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; - 高梁镇积分制平台"
        );
        assert_eq!(page_title(String::new()), "高梁镇积分制平台");
        assert_eq!(escape_html(r#"a&"'b"#), "a&amp;&quot;&#39;b");
    }

    #[test]
    fn the_camera_is_for_the_counter_and_check_in() {
        for p in [
            "/kiosk",
            "/kiosk/today",
            "/office/activities",
            "/office/activities/7?v=2",
        ] {
            assert!(may_use_camera(p), "{p}");
        }
        for p in [
            "/",
            "/kiosks",
            "/office",
            "/office/activitiesx",
            "/activity/7",
            "/login",
        ] {
            assert!(!may_use_camera(p), "{p}");
        }
    }
}
