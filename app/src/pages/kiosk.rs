//! `/kiosk`: redeeming points at the counter (积分兑换), on a landscape tablet
//! by touch. Three steps: identify the household (scanner, number pad,
//! camera or name), fill the cart from the goods tiles, confirm and hand over
//! the receipt. The order key is made when the cart opens and kept in the
//! tab's session storage, so a double tap, a retry or a reload never redeems
//! twice.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::kiosk::{
    counter_identify, counter_receipt_by_key, counter_search, counter_shelf, redeem, Receipt,
    ShelfTile,
};
use crate::api::types::OfficeHousehold;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::kiosk::{KioskShell, ReceiptSlip};
use crate::domain::goods::tile_block;
use crate::domain::redemption::LineRequest;
use crate::domain::GoodsId;
use crate::error::AppError;

/// The page.
#[component]
pub fn KioskPage() -> impl IntoView {
    view! {
        <leptos_meta::Script src="/kiosk-scan.js" defer="true"/>
        <KioskShell title="积分兑换" current="/kiosk">
            <Counter/>
        </KioskShell>
    }
}

/// An open order: who, what, and the key every attempt to redeem it sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Order {
    household: OfficeHousehold,
    /// Goods and quantity, in the order they were first tapped.
    cart: Vec<(GoodsId, i32)>,
    key: String,
    /// True once confirm was pressed: after a reload, ask the server
    /// whether it went through before offering the cart again.
    sent: bool,
}

const STORE_KEY: &str = "gaoliang-kiosk-order";

/// A fresh order key: random enough that two counters never collide.
fn new_order_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        let r = || (js_sys::Math::random() * 4_294_967_296.0) as u64;
        format!("k{:x}-{:08x}{:08x}", js_sys::Date::now() as u64, r(), r())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        String::new()
    }
}

fn stored_order() -> Option<Order> {
    let s = window().session_storage().ok()??;
    serde_json::from_str(&s.get_item(STORE_KEY).ok()??).ok()
}

fn store_order(order: Option<&Order>) {
    if let Ok(Some(s)) = window().session_storage() {
        let _ = match order.and_then(|o| serde_json::to_string(o).ok()) {
            Some(json) => s.set_item(STORE_KEY, &json),
            None => s.remove_item(STORE_KEY),
        };
    }
}

/// A request in flight and its refusal. Owned by the counter so that a
/// request which ends its own step (found the household, redeemed) never
/// writes into a step already gone.
#[derive(Clone, Copy)]
struct Work {
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

impl Work {
    fn new() -> Self {
        Self {
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }
}

/// The counter: one of the three steps, with the state they share.
#[component]
fn Counter() -> impl IntoView {
    let order = RwSignal::new(None::<Order>);
    let receipt = RwSignal::new(None::<Receipt>);
    let restoring = RwSignal::new(true);
    let work = Work::new();

    // After a reload: an order that was sent may already be redeemed.
    Effect::new(move |_| {
        let Some(saved) = stored_order() else {
            restoring.set(false);
            return;
        };
        leptos::task::spawn_local(async move {
            if saved.sent {
                if let Ok(Some(r)) = counter_receipt_by_key(saved.key.clone()).await {
                    receipt.set(Some(r));
                    order.set(Some(saved));
                    restoring.set(false);
                    return;
                }
            }
            // Not redeemed: reopen the cart with today's balance, unless the
            // household is no longer this counter's (another clerk signed in).
            if let Ok(h) = counter_identify(saved.household.card_no.clone()).await {
                order.set(Some(Order {
                    household: h,
                    sent: false,
                    ..saved
                }));
            }
            restoring.set(false);
        });
    });
    Effect::new(move |_| {
        if !restoring.get() {
            order.with(|o| store_order(o.as_ref()));
        }
    });

    let open = Callback::new(move |h: OfficeHousehold| {
        work.error.set(None);
        receipt.set(None);
        order.set(Some(Order {
            household: h,
            cart: Vec::new(),
            key: new_order_key(),
            sent: false,
        }));
    });
    let next = Callback::new(move |_: ()| {
        work.error.set(None);
        receipt.set(None);
        order.set(None);
    });

    // Which step shows: a memo, so editing the cart does not rebuild the shop.
    #[derive(Clone, Copy, PartialEq)]
    enum Step {
        Restoring,
        Identify,
        Shop,
        Receipt,
    }
    let step = Memo::new(move |_| {
        if restoring.get() {
            Step::Restoring
        } else if receipt.with(Option::is_some) {
            Step::Receipt
        } else if order.with(Option::is_some) {
            Step::Shop
        } else {
            Step::Identify
        }
    });
    view! {
        {move || match step.get() {
            Step::Restoring => view! { <Loading/> }.into_any(),
            Step::Receipt => match receipt.get_untracked() {
                Some(r) => view! { <ReceiptScreen receipt=r next/> }.into_any(),
                None => ().into_any(),
            },
            Step::Shop => view! { <Shop order receipt next work/> }.into_any(),
            Step::Identify => view! { <Identify open work/> }.into_any(),
        }}
    }
}

/// Step 1: who is at the counter.
#[component]
fn Identify(open: Callback<OfficeHousehold>, work: Work) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let found = RwSignal::new(None::<Result<Vec<OfficeHousehold>, AppError>>);
    // Owned by the counter, not by this step: finding the household ends
    // this step, and the lookup must not outlive what it writes to.
    let busy = work.busy;
    let error = work.error;
    let search = Action::new(move |q: &String| {
        let q = q.clone();
        async move { found.set(Some(counter_search(q).await)) }
    });
    let submit_code = move || {
        let c = code.get_untracked().trim().to_string();
        if c.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let r = counter_identify(c).await;
            busy.set(false);
            match r {
                Ok(h) => open.run(h),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let key = move |k: &'static str| {
        move |_| {
            error.set(None);
            code.update(|c| match k {
                "清除" => c.clear(),
                "退格" => {
                    c.pop();
                }
                d if c.len() < 20 => c.push_str(d),
                _ => {}
            })
        }
    };
    view! {
        <div class="kiosk-identify">
            <section class="kiosk-card-entry">
                <h1>"请扫描户卡二维码，或输入卡号"</h1>
                <form class="kiosk-code-form" on:submit=move |ev| { ev.prevent_default(); submit_code(); }>
                    // No soft keyboard: a scanner types here, and the pad below
                    // is bigger than any keyboard key.
                    <input id="kiosk-code" class="kiosk-code" data-testid="kiosk-code" inputmode="none"
                        autocomplete="off" autofocus placeholder="卡号"
                        prop:value=move || code.get()
                        on:input=move |ev| { error.set(None); code.set(event_target_value(&ev)); }/>
                    <button type="button" class="button kiosk-camera" data-camera-scan="kiosk-code">"摄像头扫码"</button>
                </form>
                <video id="kiosk-camera-view" class="kiosk-camera-view" playsinline muted></video>
                {move || error.get().map(|e| view! { <p class="kiosk-error" role="alert" data-testid="kiosk-error">{e}</p> })}
                <div class="numpad" role="group" aria-label="数字键盘">
                    {["1", "2", "3", "4", "5", "6", "7", "8", "9", "清除", "0", "退格"].into_iter().map(|k| view! {
                        <button type="button" class="numpad-key" class:numpad-fn={ k.len() > 1 }
                            data-testid=format!("pad-{k}") on:click=key(k)>{k}</button>
                    }).collect_view()}
                </div>
                <button type="button" class="button button-primary kiosk-go" data-testid="kiosk-identify"
                    disabled=move || busy.get()
                    on:click=move |_| submit_code()>
                    {move || if busy.get() { "正在查找…" } else { "确定" }}
                </button>
            </section>
            <section class="kiosk-name-entry">
                <h2>"没带卡？按姓名查找"</h2>
                <form class="kiosk-name-form" on:submit=move |ev| {
                    ev.prevent_default();
                    let q = name.get_untracked().trim().to_string();
                    if !q.is_empty() { search.dispatch(q); }
                }>
                    <input class="kiosk-name" data-testid="kiosk-name" placeholder="户主姓名或拼音首字母"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <button type="submit" class="button">"查找"</button>
                </form>
                {move || match found.get() {
                    None => ().into_any(),
                    Some(Err(e)) => view! { <p class="kiosk-error" role="alert">{e.to_string()}</p> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="note">"本村没有找到，请换个写法再试"</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul class="kiosk-hits" data-testid="kiosk-hits">
                            {list.into_iter().map(|h| {
                                let pick = h.clone();
                                view! {
                                    <li><button type="button" class="kiosk-hit" on:click=move |_| open.run(pick.clone())>
                                        <span class="kiosk-hit-name">{h.head_name}</span>
                                        <span>{format!("{} · {}", h.group_name, h.card_no)}</span>
                                        <span class="kiosk-hit-balance">{format!("{} 分", h.balance)}</span>
                                    </button></li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </section>
        </div>
    }
    .into_any()
}

/// Units of `goods` in the cart.
fn in_cart(cart: &[(GoodsId, i32)], goods: GoodsId) -> i32 {
    cart.iter()
        .find(|(g, _)| *g == goods)
        .map_or(0, |(_, q)| *q)
}

fn cart_total(cart: &[(GoodsId, i32)], shelf: &[ShelfTile]) -> i64 {
    cart.iter()
        .map(|(g, q)| {
            shelf
                .iter()
                .find(|t| t.id == *g)
                .map_or(0, |t| i64::from(t.price) * i64::from(*q))
        })
        .sum()
}

/// Step 2: the goods tiles and the cart.
#[component]
fn Shop(
    order: RwSignal<Option<Order>>,
    receipt: RwSignal<Option<Receipt>>,
    next: Callback<()>,
    work: Work,
) -> impl IntoView {
    let shelf = Resource::new(|| (), |_| counter_shelf());
    let household = move || order.with(|o| o.as_ref().map(|o| o.household.clone()));
    // Memos of the shop itself, not of the goods list inside the Suspense,
    // so they outlive every tile that reads them.
    let cart =
        Memo::new(move |_| order.with(|o| o.as_ref().map(|o| o.cart.clone()).unwrap_or_default()));
    // Effects inside the Suspense can run once more while the shop is
    // being torn down (after the receipt arrives): read without panicking.
    let cart = move || cart.try_get().unwrap_or_default();
    let total = Memo::new(move |_| {
        let tiles = shelf.get().and_then(Result::ok).unwrap_or_default();
        cart_total(&cart(), &tiles)
    });
    let left = Memo::new(move |_| household().map_or(0, |h| h.balance) - total.get());
    let total = move || total.try_get().unwrap_or_default();
    let change = move |goods: GoodsId, delta: i32| {
        order.update(|o| {
            if let Some(o) = o {
                match o.cart.iter_mut().find(|(g, _)| *g == goods) {
                    Some(line) => line.1 += delta,
                    None if delta > 0 => o.cart.push((goods, delta)),
                    None => {}
                }
                o.cart.retain(|(_, q)| *q > 0);
            }
        })
    };
    let confirm = move || {
        let Some(o) = order.get_untracked() else {
            return;
        };
        if work.busy.get_untracked() || o.cart.is_empty() {
            return;
        }
        work.busy.set(true);
        work.error.set(None);
        order.update(|o| {
            if let Some(o) = o {
                o.sent = true;
            }
        });
        leptos::task::spawn_local(async move {
            let lines: Vec<LineRequest> = o
                .cart
                .iter()
                .map(|(g, q)| LineRequest {
                    goods: *g,
                    quantity: *q,
                })
                .collect();
            // A dropped connection is retried with the same key: the server
            // answers a repeat with the first receipt, never a second redemption.
            let mut attempt = 0;
            let result = loop {
                attempt += 1;
                match redeem(o.household.id, lines.clone(), o.key.clone()).await {
                    Err(AppError::Network) if attempt < 3 => continue,
                    r => break r,
                }
            };
            match result {
                Ok(r) => receipt.set(Some(r)),
                // The key already bought something else (the cart changed
                // after it was sent): show what it bought; nothing new was
                // redeemed, and 下一位 starts a fresh order with a new key.
                Err(AppError::KeyReused(first)) => receipt.set(Some(*first)),
                Err(AppError::Network) => {
                    // The outcome is unknown: `sent` stays set, so a reload
                    // asks the server by key, and a new tap resends the key.
                    work.error.set(Some(
                        "网络不通，不知道是否已兑换。请检查网络后再点“确认兑换”，不会重复扣分"
                            .into(),
                    ));
                }
                Err(e) => {
                    // Refused, nothing written; stock or balance may have moved.
                    work.error.set(Some(e.to_string()));
                    order.update(|o| {
                        if let Some(o) = o {
                            o.sent = false;
                        }
                    });
                    if let Ok(h) = counter_identify(o.household.card_no.clone()).await {
                        order.update(|o| {
                            if let Some(o) = o {
                                o.household = h;
                            }
                        });
                    }
                    shelf.refetch();
                }
            }
            work.busy.set(false);
        });
    };
    let busy = move || work.busy.get();

    view! {
        <div class="kiosk-shop">
            {move || household().map(|h| view! {
                <section class="kiosk-customer" data-testid="kiosk-customer">
                    <div class="kiosk-who">
                        <h1 class="kiosk-head">{h.head_name.clone()}</h1>
                        <span class="kiosk-sub">{format!("{} · 卡号 {}", h.group_name, h.card_no)}</span>
                    </div>
                    <div class="kiosk-balance">
                        <span class="kiosk-balance-label">"可用积分"</span>
                        <span class="kiosk-balance-value" data-testid="kiosk-balance">{h.balance}</span>
                    </div>
                    <button type="button" class="button kiosk-cancel" data-testid="kiosk-cancel"
                        disabled=busy on:click=move |_| next.run(())>"换一户"</button>
                </section>
            })}
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    let tiles = match shelf.await {
                        Err(e) => return view! { <ErrorBox err=e/> }.into_any(),
                        Ok(t) => StoredValue::new(t),
                    };
                    view! {
                        <div class="kiosk-main">
                            <div class="kiosk-goods" data-testid="kiosk-goods">
                                {tiles.with_value(|t| group_by_category(t)).into_iter().map(|(category, items)| view! {
                                    <h2 class="kiosk-category">{category}</h2>
                                    <div class="tile-grid">
                                        {items.into_iter().map(|t| view! { <Tile tile=t order left change busy=work.busy/> }).collect_view()}
                                    </div>
                                }).collect_view()}
                            </div>
                            <aside class="kiosk-cart" data-testid="kiosk-cart">
                                <h2>"本次兑换"</h2>
                                {move || {
                                    let c = cart();
                                    if c.is_empty() {
                                        view! { <p class="note">"点商品加入，再点“确认兑换”"</p> }.into_any()
                                    } else {
                                        view! {
                                            <ul class="cart-lines">
                                                {c.into_iter().filter_map(|(g, q)| tiles.try_with_value(|t| t.iter().find(|x| x.id == g).cloned()).flatten().map(|t| view! {
                                                    <li><span>{format!("{} ×{}", t.name, q)}</span><span class="num">{format!("{} 分", i64::from(t.price) * i64::from(q))}</span></li>
                                                })).collect_view()}
                                            </ul>
                                        }.into_any()
                                    }
                                }}
                                <p class="cart-total"><span>"合计"</span><span class="num" data-testid="cart-total">{move || format!("{} 分", total())}</span></p>
                                <p class="cart-left" class:negative=move || { left.try_get().unwrap_or_default() < 0 }>
                                    <span>"兑换后余额"</span><span class="num" data-testid="cart-left">{move || format!("{} 分", left.try_get().unwrap_or_default())}</span>
                                </p>
                                {move || work.error.get().map(|e| view! {
                                    <p class="kiosk-error" role="alert" data-testid="kiosk-error">{e}</p>
                                })}
                                <button type="button" class="button button-primary kiosk-confirm" data-testid="kiosk-confirm"
                                    class:working=busy
                                    disabled=move || busy() || cart().is_empty() || left.try_get().unwrap_or_default() < 0
                                    on:click=move |_| confirm()>
                                    {move || if busy() { "正在兑换，请稍候…".to_string() } else { format!("确认兑换（{} 分）", total()) }}
                                </button>
                            </aside>
                        </div>
                    }.into_any()
                })}
            </Suspense>
        </div>
    }
    .into_any()
}

/// Tiles grouped by category, keeping the shelf's order.
fn group_by_category(tiles: &[ShelfTile]) -> Vec<(String, Vec<ShelfTile>)> {
    let mut out: Vec<(String, Vec<ShelfTile>)> = Vec::new();
    for t in tiles {
        match out.last_mut() {
            Some((c, items)) if *c == t.category => items.push(t.clone()),
            _ => out.push((t.category.clone(), vec![t.clone()])),
        }
    }
    out
}

/// One goods tile: tap to add, − to take one back; greyed with the reason
/// when it cannot take another.
#[component]
fn Tile(
    tile: ShelfTile,
    order: RwSignal<Option<Order>>,
    left: Memo<i64>,
    change: impl Fn(GoodsId, i32) + Copy + Send + Sync + 'static,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let id = tile.id;
    let qty = move || order.with(|o| o.as_ref().map_or(0, |o| in_cart(&o.cart, id)));
    let block = move || {
        tile_block(
            tile.price,
            tile.stock,
            qty(),
            left.try_get().unwrap_or_default(),
        )
    };
    let initial = tile.name.chars().next().unwrap_or('货').to_string();
    view! {
        <div class="tile" class:blocked=move || block().is_some() class:chosen=move || { qty() > 0 }
            data-testid=format!("tile-{}", tile.name)>
            <button type="button" class="tile-add" disabled=move || block().is_some() || busy.get()
                on:click=move |_| change(id, 1)>
                // Named by what it shows (a screen reader says the price and
                // stock a sighted clerk sees), with the action first.
                <span class="visually-hidden">{format!("加一{}", tile.unit)}</span>
                {match tile.photo.clone() {
                    Some(src) => view! { <img class="tile-photo" src=src alt="" loading="lazy"/> }.into_any(),
                    None => view! { <span class="tile-photo tile-initial" aria-hidden="true">{initial}</span> }.into_any(),
                }}
                <span class="tile-name">{tile.name.clone()}</span>
                <span class="tile-price">{format!("{} 分/{}", tile.price, tile.unit)}</span>
                <span class="tile-stock">{format!("库存 {}", tile.stock)}</span>
                {move || block().map(|b| view! { <span class="tile-block">{b.label()}</span> })}
            </button>
            <div class="tile-qty">
                <button type="button" class="tile-minus" aria-label=format!("减一{}{}", tile.unit, tile.name)
                    disabled=move || { qty() == 0 || busy.get() } on:click=move |_| change(id, -1)>"−"</button>
                <span class="tile-count" data-testid="tile-count">{qty}</span>
                <button type="button" class="tile-plus" aria-label=format!("再加一{}{}", tile.unit, tile.name)
                    disabled=move || block().is_some() || busy.get() on:click=move |_| change(id, 1)>"+"</button>
            </div>
        </div>
    }
}

/// Step 3: the receipt (兑换小票), printable on a 58 mm roll.
#[component]
fn ReceiptScreen(receipt: Receipt, next: Callback<()>) -> impl IntoView {
    view! {
        <div class="kiosk-done">
            <ReceiptSlip receipt=receipt.clone()/>
            <div class="kiosk-done-actions no-print">
                {receipt.replayed.then(|| view! {
                    <p class="note" data-testid="kiosk-replayed">"这一单已经兑换过，以上是当时的小票，没有重复扣分。"</p>
                })}
                <p class="kiosk-done-title">"兑换成功"</p>
                <button type="button" class="button kiosk-print" data-testid="kiosk-print"
                    on:click=|_| { let _ = window().print(); }>"打印小票"</button>
                <button type="button" class="button button-primary kiosk-next" data-testid="kiosk-next"
                    on:click=move |_| next.run(())>"下一位"</button>
            </div>
        </div>
    }
    .into_any()
}
