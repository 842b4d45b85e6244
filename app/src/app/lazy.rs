//! The pages, in five sections each loaded as one wasm chunk in the browser:
//! the public portal, the village office, the points-supermarket counter,
//! the town office, and the villager's own pages (and the scorer's). The
//! main bundle is the shell (header, footer, router) and the runtime; the
//! portal never downloads the office, kiosk or town screens.
//!
//! Each route gets a [`LazyRoute`] type whose view calls its section's
//! `#[lazy]` function with the page to show. On the server the page renders
//! as before (and the server preloads the section's chunk in the page's
//! head); in the browser the router loads the chunk before it hydrates or
//! navigates there. With cargo-leptos `--split` each section function lands
//! in its own `.wasm` chunk, and code two sections share in a shared chunk.
//!
//! Why sections and not one split point per route: the splitter makes a
//! chunk for every set of split points that share a function, so 58 routes
//! made 1,100 chunks and a village page fetched 161 of them, each a request
//! and an instantiation (6.2 s on the phone profile, `docs/wasm-size.md`).
//! Nine sections (the portal in five) still made 171 chunks, 93 files for a
//! village page (5.2 s); five sections make 24, about 17 files a page.
//!
//! Only release builds split: a `#[lazy]` function imports its code from a
//! placeholder module that only the splitter resolves, so an unsplit wasm
//! would not load. Debug builds (`cargo leptos build`, `make e2e`) keep the
//! same async routes with the views compiled in. A release wasm must
//! therefore be built with `--split` (`make build-release` does), and
//! `make release-e2e` runs the browser tests on it.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages::*;

/// Marks the page interactive (`data-hydrated` on `<body>`, what browser
/// tests and the phone bench wait for) once the lazily loaded view around
/// it has been hydrated or rendered: an effect runs after that.
pub fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
}

/// Declares a section: an enum of its pages, the section function that
/// renders one of them (the split point: `#[lazy]` in release builds, which
/// also declares the chunk's loader, named `__preload_<function>`), and for
/// each page a route type whose view calls it.
macro_rules! section {
    (
        $(#[$doc:meta])*
        fn $section:ident($pages:ident), preload $preload:ident {
            $($route:ident => $module:ident :: $page:ident,)*
        }
    ) => {
        #[doc = concat!("The pages of [`", stringify!($section), "`].")]
        #[derive(Clone, Copy, Debug)]
        pub enum $pages {
            $(
                #[doc = concat!("[`", stringify!($module), "::", stringify!($page), "`]")]
                $route,
            )*
        }

        $(#[$doc])*
        #[cfg_attr(not(debug_assertions), leptos::lazy)]
        pub async fn $section(page: $pages) -> AnyView {
            mark_hydrated();
            match page {
                $($pages::$route => view! { <$module::$page/> }.into_any(),)*
            }
        }

        $(
            #[doc = concat!("The route of [`", stringify!($module), "::", stringify!($page), "`], in [`", stringify!($section), "`].")]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $section($pages::$route).await
                }

                // The router loads the chunk here, before it hydrates the
                // route or navigates to it: without this the view is not
                // ready when hydration reaches it, and hydration fails.
                async fn preload() {
                    #[cfg(all(feature = "hydrate", not(debug_assertions)))]
                    $preload().await;
                }
            }
        )*
    };
}

section! {
    /// The public portal: what anyone sees without signing in, and the login.
    fn public_section(PublicSectionPage), preload __preload_public_section {
        HomeRoute => home::HomePage,
        VillageRoute => village::VillagePage,
        VillageRulesRoute => village::RulesTab,
        VillageGoodsRoute => village::GoodsTab,
        VillageBoardRoute => village::BoardTab,
        VillageRankingRoute => ranking::RankingTable,
        VillageLedgerRoute => ledger::LedgerTab,
        VillageNoticesRoute => notices::VillageNoticesTab,
        VillageActivitiesRoute => activities::ActivitiesTab,
        RankingRoute => ranking::RankingPage,
        SearchRoute => search::SearchPage,
        HouseholdRoute => household::HouseholdPage,
        LoginRoute => login::LoginPage,
        CoverageRoute => coverage::CoveragePage,
        FundsRoute => funds::FundsPage,
        LedgerRoute => ledger::LedgerPage,
        TownNoticesRoute => notices::TownNoticesPage,
        NoticeRoute => notices::NoticePage,
        TownActivitiesRoute => activities::TownActivitiesPage,
        ActivityRoute => activities::ActivityPage,
    }
}

section! {
    /// The village office: the points clerk's screens.
    fn office_section(OfficeSectionPage), preload __preload_office_section {
        OfficeRoute => office::OfficePage,
        OfficeBatchRoute => office_batch::OfficeBatchPage,
        OfficeGroupsRoute => office_groups::OfficeGroupsPage,
        OfficeLedgerRoute => office_ledger::OfficeLedgerPage,
        OfficeReviewRoute => office_review::OfficeReviewPage,
        OfficeRulesRoute => office_rules::OfficeRulesPage,
        HouseholdsRoute => households::HouseholdsPage,
        HouseholdNewRoute => household_edit::HouseholdNewPage,
        HouseholdEditRoute => household_edit::HouseholdEditPage,
        HouseholdImportRoute => household_import::HouseholdImportPage,
        HouseholdCardsRoute => household_cards::HouseholdCardsPage,
        AssistRoute => me::AssistPage,
        OfficeAppealsRoute => office_appeals::OfficeAppealsPage,
        OfficeNoticesRoute => office_notices::OfficeNoticesPage,
        OfficeNoticeNewRoute => office_notices::OfficeNoticeNewPage,
        OfficeNoticeEditRoute => office_notices::OfficeNoticeEditPage,
        OfficeActivitiesRoute => office_activities::OfficeActivitiesPage,
        OfficeActivityNewRoute => office_activities::OfficeActivityNewPage,
        OfficeActivityRoute => office_activities::OfficeActivityPage,
    }
}

section! {
    /// The points-supermarket counter and its stock.
    fn kiosk_section(KioskSectionPage), preload __preload_kiosk_section {
        KioskRoute => kiosk::KioskPage,
        KioskTodayRoute => kiosk_today::KioskTodayPage,
        KioskStockRoute => kiosk_stock::KioskStockPage,
        KioskGoodsNewRoute => kiosk_stock::KioskGoodsNewPage,
        KioskGoodsRoute => kiosk_stock::KioskGoodsPage,
    }
}

section! {
    /// The town office.
    fn town_section(TownSectionPage), preload __preload_town_section {
        TownHomeRoute => homes::TownHome,
        TownDashboardRoute => town_dashboard::TownDashboardPage,
        VillageDashboardRoute => town_dashboard::VillageDashboardPage,
        TownAcceptanceRoute => town_acceptance::TownAcceptancePage,
        TownAcceptanceVillageRoute => town_acceptance::TownAcceptanceVillagePage,
        TownScoresRoute => town_scores::TownScoresPage,
        TownFlagsRoute => town_flags::TownFlagsPage,
        TownStaffRoute => town_staff::TownStaffPage,
        TownSetupRoute => town_setup::TownSetupPage,
        TownEvaluationRoute => town_evaluation::TownEvaluationPage,
        TownFundsRoute => funds::FundsPage,
        VillageFundsRoute => funds::VillageFundsPage,
    }
}

section! {
    /// A villager's own pages, and the scoring team's.
    fn villager_section(VillagerSectionPage), preload __preload_villager_section {
        MeRoute => me::MePage,
        MePasswordRoute => me_password::MePasswordPage,
        ScorerRoute => score::ScorerPage,
    }
}
