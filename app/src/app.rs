//! The root component, the HTML shell and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::layout::{Footer, Header};
use crate::pages;

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
    // Runs only in the browser: tells tests and scripts the page is interactive.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="leptos" href="/pkg/gaoliang.css"/>
        <Title formatter=page_title/>
        <Router>
            <Header/>
            <main class="page">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view=pages::home::HomePage/>
                    <ParentRoute path=path!("/village/:id") view=pages::village::VillagePage ssr=SsrMode::Async>
                        <Route path=path!("") view=pages::village::RulesTab/>
                        <Route path=path!("goods") view=pages::village::GoodsTab/>
                        <Route path=path!("board") view=pages::village::BoardTab/>
                        <Route path=path!("ranking") view=pages::ranking::RankingTable/>
                        <Route path=path!("ledger") view=pages::ledger::LedgerTab/>
                        <Route path=path!("notices") view=pages::notices::VillageNoticesTab/>
                        <Route path=path!("activities") view=pages::activities::ActivitiesTab/>
                    </ParentRoute>
                    <Route path=path!("/ranking") view=pages::ranking::RankingPage/>
                    <Route path=path!("/search") view=pages::search::SearchPage/>
                    <Route path=path!("/household/:card") view=pages::household::HouseholdPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::login::LoginPage/>
                    <Route path=path!("/town") view=pages::homes::TownHome/>
                    <Route path=path!("/town/dashboard") view=pages::town_dashboard::TownDashboardPage/>
                    <Route path=path!("/town/dashboard/:village") view=pages::town_dashboard::VillageDashboardPage/>
                    <Route path=path!("/coverage") view=pages::coverage::CoveragePage/>
                    <Route path=path!("/town/acceptance") view=pages::town_acceptance::TownAcceptancePage/>
                    <Route path=path!("/town/acceptance/:village") view=pages::town_acceptance::TownAcceptanceVillagePage/>
                    <Route path=path!("/town/scores") view=pages::town_scores::TownScoresPage/>
                    <Route path=path!("/town/flags") view=pages::town_flags::TownFlagsPage/>
                    <Route path=path!("/town/staff") view=pages::town_staff::TownStaffPage/>
                    <Route path=path!("/town/setup") view=pages::town_setup::TownSetupPage/>
                    <Route path=path!("/town/evaluation") view=pages::town_evaluation::TownEvaluationPage/>
                    <Route path=path!("/town/funds") view=pages::funds::FundsPage/>
                    <Route path=path!("/town/funds/:village") view=pages::funds::VillageFundsPage/>
                    <Route path=path!("/funds") view=pages::funds::FundsPage/>
                    <Route path=path!("/office") view=pages::office::OfficePage/>
                    <Route path=path!("/office/batch") view=pages::office_batch::OfficeBatchPage/>
                    <Route path=path!("/office/groups") view=pages::office_groups::OfficeGroupsPage/>
                    <Route path=path!("/office/ledger") view=pages::office_ledger::OfficeLedgerPage/>
                    <Route path=path!("/office/review") view=pages::office_review::OfficeReviewPage/>
                    <Route path=path!("/office/rules") view=pages::office_rules::OfficeRulesPage/>
                    <Route path=path!("/ledger/:village/:month") view=pages::ledger::LedgerPage ssr=SsrMode::Async/>
                    <Route path=path!("/office/households") view=pages::households::HouseholdsPage/>
                    <Route path=path!("/office/households/new") view=pages::household_edit::HouseholdNewPage/>
                    <Route path=path!("/office/households/edit/:id") view=pages::household_edit::HouseholdEditPage/>
                    <Route path=path!("/office/households/import") view=pages::household_import::HouseholdImportPage/>
                    <Route path=path!("/office/households/cards") view=pages::household_cards::HouseholdCardsPage/>
                    <Route path=path!("/kiosk") view=pages::kiosk::KioskPage/>
                    <Route path=path!("/kiosk/today") view=pages::kiosk_today::KioskTodayPage/>
                    <Route path=path!("/kiosk/stock") view=pages::kiosk_stock::KioskStockPage/>
                    <Route path=path!("/kiosk/stock/new") view=pages::kiosk_stock::KioskGoodsNewPage/>
                    <Route path=path!("/kiosk/stock/goods/:id") view=pages::kiosk_stock::KioskGoodsPage/>
                    <Route path=path!("/me") view=pages::me::MePage/>
                    <Route path=path!("/me/password") view=pages::me_password::MePasswordPage/>
                    <Route path=path!("/score") view=pages::score::ScorerPage/>
                    <Route path=path!("/office/assist/:id") view=pages::me::AssistPage/>
                    <Route path=path!("/office/appeals") view=pages::office_appeals::OfficeAppealsPage/>
                    <Route path=path!("/notices") view=pages::notices::TownNoticesPage/>
                    <Route path=path!("/notice/:id") view=pages::notices::NoticePage ssr=SsrMode::Async/>
                    <Route path=path!("/office/notices") view=pages::office_notices::OfficeNoticesPage/>
                    <Route path=path!("/office/notices/new") view=pages::office_notices::OfficeNoticeNewPage/>
                    <Route path=path!("/office/notices/edit/:id") view=pages::office_notices::OfficeNoticeEditPage/>
                    <Route path=path!("/activities") view=pages::activities::TownActivitiesPage/>
                    <Route path=path!("/activity/:id") view=pages::activities::ActivityPage ssr=SsrMode::Async/>
                    <Route path=path!("/office/activities") view=pages::office_activities::OfficeActivitiesPage/>
                    <Route path=path!("/office/activities/new") view=pages::office_activities::OfficeActivityNewPage/>
                    <Route path=path!("/office/activities/:id") view=pages::office_activities::OfficeActivityPage/>
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
