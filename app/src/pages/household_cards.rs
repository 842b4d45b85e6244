//! `/office/households/cards`: A4 sheets of household cards (户卡), ten to a
//! page, each with the village, the head's name, the card number and a QR
//! code of the card number that the supermarket's scanner reads.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::households::{household_cards, household_defaults, HouseholdCard};
use crate::api::setup::cards_printed;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::office::{OfficeShell, OfficeVillage};
use crate::domain::{GroupId, VillageId};

/// The card sheet page.
#[component]
pub fn HouseholdCardsPage() -> impl IntoView {
    view! {
        <Title text="打印户卡"/>
        <OfficeShell title="农户管理" current="/office/households">
            {move || {
                let ov = expect_context::<OfficeVillage>();
                view! { <Cards village=ov.id/> }
            }}
        </OfficeShell>
    }
}

#[component]
fn Cards(village: VillageId) -> impl IntoView {
    let ov = expect_context::<OfficeVillage>();
    let group = RwSignal::new(None::<GroupId>);
    let groups = Resource::new(move || village, |v| household_defaults(Some(v)));
    let cards = Resource::new(
        move || group.get(),
        move |g| household_cards(Some(village), g),
    );
    // The print is noted first (the town's readiness checklist shows the
    // last print date); the sheet prints whether or not that succeeds.
    let print = Action::new(move |_: &()| {
        let g = group.get_untracked();
        async move {
            let noted = cards_printed(Some(village), g).await;
            let _ = window().print();
            noted
        }
    });
    view! {
        <section class="panel no-print">
            <h2>"打印户卡"</h2>
            <p class="note">"A4 纸每页 10 张，沿虚线裁开。二维码内容为户卡号，超市扫码枪可直接识别。已迁出的农户不打印。"</p>
            <div class="filters">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let gs = groups.await.map(|d| d.groups).unwrap_or_default();
                        view! {
                            <select class="group-select" aria-label="组别" data-testid="cards-group"
                                on:change=move |ev| group.set(event_target_value(&ev).parse().ok().map(GroupId))>
                                <option value="">"全部组"</option>
                                {gs.into_iter().map(|g| view! { <option value=g.id.0.to_string()>{g.name}</option> }).collect_view()}
                            </select>
                        }
                    })}
                </Suspense>
                <button type="button" class="button button-primary" data-testid="cards-print"
                    disabled=move || print.pending().get()
                    on:click=move |_| { print.dispatch(()); }>"打印"</button>
                <a class="button" href=ov.link("/office/households")>"返回农户列表"</a>
            </div>
            {move || print.value().get().and_then(Result::err).map(|e| view! {
                <p class="form-error" role="alert">{format!("打印记录未保存：{e}")}</p>
            })}
        </section>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match cards.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="empty">"没有可打印的农户"</p> }.into_any(),
                    Ok(list) => view! {
                        <p class="note no-print" data-testid="cards-count">{format!("共 {} 张", list.len())}</p>
                        <div class="card-sheet" data-testid="card-sheet">
                            {list.into_iter().map(|c| view! { <CardView c/> }).collect_view()}
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// One printed card.
#[component]
fn CardView(c: HouseholdCard) -> impl IntoView {
    view! {
        <article class="hh-card" data-testid="hh-card" data-card=c.card_no.clone()>
            <div class="hh-card-text">
                <p class="hh-card-title">"高梁镇乡村治理积分卡"</p>
                <p class="hh-card-village">{format!("{} · {}", c.village_name, c.group_name)}</p>
                <p class="hh-card-head">{format!("户主：{}", c.head_name)}</p>
                <p class="hh-card-no">{format!("户卡号 {}", c.card_no)}</p>
            </div>
            <div class="hh-card-qr" inner_html=c.qr_svg aria-label=format!("户卡号 {} 的二维码", c.card_no)></div>
        </article>
    }
}
