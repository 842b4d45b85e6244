//! `/kiosk/stock`: the shop's stock (库存) on the counter tablet.
//!
//! - `/kiosk/stock`: every goods with its stock, low-stock and off-sale
//!   marks, and the count of kinds on sale against the plan's minimum.
//! - `/kiosk/stock/goods/:id`: one goods: receive (入库), adjust with a
//!   reason (调整), edit, photo, off/on sale (下架/上架), and its history.
//! - `/kiosk/stock/new`: a new kind of goods (新增商品).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use web_sys::{File, FormData};

use crate::api::stock::{
    get_goods_stock, get_stock_overview, stock_adjust, stock_goods_active, stock_goods_create,
    stock_goods_photo, stock_goods_photo_remove, stock_goods_update, stock_receive, AdjustForm,
    GoodsForm, GoodsStockDetail, MovementRow, ReceiveForm, StockGoods, StockOverview,
};
use crate::components::feedback::FormError;
use crate::components::feedback::{ErrorBox, Loading};
use crate::components::kiosk::{KioskShell, KioskVillage};
use crate::components::upload::{picked_file, upload_form, PickedFiles};
use crate::domain::goods::CATEGORIES;
use crate::domain::stock::{
    check_stock_after, format_fen, parse_adjust_quantity, parse_quantity, parse_yuan,
    ADJUST_REASONS, OTHER_REASON,
};
use crate::domain::time::{china_date, china_day};
use crate::domain::{GoodsId, VillageId};
use crate::error::AppError;

/// Units the unit field suggests.
const UNITS: [&str; 12] = [
    "袋", "瓶", "块", "支", "条", "提", "桶", "盒", "把", "包", "件", "个",
];

/// The outcome of the latest action on a page, shown under its form.
type Notice = RwSignal<Option<Result<String, AppError>>>;

/// The message line of a [`Notice`].
#[component]
fn NoticeLine(notice: Notice) -> impl IntoView {
    move || {
        notice.get().map(|r| match r {
            Ok(m) => view! { <p class="form-ok" role="status" data-testid="stock-result">{m}</p> }
                .into_any(),
            Err(e) => view! { <FormError message=e.to_string() testid="stock-error"/> }.into_any(),
        })
    }
}

/// Clears an error shown under a form once any of its fields changes
/// (`track` reads them); a success message stays.
fn clear_error_on_change(notice: Notice, track: impl Fn() + Send + Sync + 'static) {
    Effect::new(move |prev: Option<()>| {
        track();
        if prev.is_some() && notice.with_untracked(|n| matches!(n, Some(Err(_)))) {
            notice.set(None);
        }
    });
}

/// The photo of a goods, or its first character on a coloured tile.
#[component]
fn GoodsThumb(goods: StockGoods, #[prop(optional)] big: bool) -> impl IntoView {
    let class = if big {
        "stock-thumb stock-thumb-big"
    } else {
        "stock-thumb"
    };
    match goods.photo {
        Some(src) => {
            view! { <img class=class src=src alt=goods.name.clone() data-testid="goods-photo"/> }
                .into_any()
        }
        None => view! {
            <div class=format!("{class} placeholder") aria-hidden="true">
                {goods.name.chars().next().map(String::from).unwrap_or_default()}
            </div>
        }
        .into_any(),
    }
}

/// The marks of a goods: 已下架, 已售完, 库存不足.
fn badges(g: &StockGoods) -> impl IntoView {
    let mut marks: Vec<(&'static str, &'static str)> = Vec::new();
    if !g.active {
        marks.push(("badge badge-grey", "已下架"));
    }
    if g.active && g.stock <= 0 {
        marks.push(("badge stock-badge-out", "已售完"));
    } else if g.low {
        marks.push(("badge badge-warn", "库存不足"));
    }
    marks
        .into_iter()
        .map(|(class, text)| view! { <span class=class data-testid="stock-badge">{text}</span> })
        .collect_view()
}

// ---------------------------------------------------------------- the list

/// `/kiosk/stock`.
#[component]
pub fn KioskStockPage() -> impl IntoView {
    view! {
        <KioskShell title="库存管理" current="/kiosk/stock">
            {move || match use_context::<KioskVillage>() {
                Some(KioskVillage(village)) => view! { <StockList village/> }.into_any(),
                None => view! { <Loading/> }.into_any(),
            }}
        </KioskShell>
    }
}

/// Which goods the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Low,
    Inactive,
}

#[component]
fn StockList(village: VillageId) -> impl IntoView {
    let overview = Resource::new(move || village, get_stock_overview);
    let filter = RwSignal::new(Filter::All);
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(o) => view! { <StockListView o filter/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn StockListView(o: StockOverview, filter: RwSignal<Filter>) -> impl IntoView {
    let short = o.kinds_warning.is_some();
    let goods = StoredValue::new(o.goods);
    let shown = move || {
        goods.with_value(|all| {
            all.iter()
                .filter(|g| match filter.get() {
                    Filter::All => true,
                    Filter::Low => g.low,
                    Filter::Inactive => !g.active,
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let filters = [
        (
            Filter::All,
            format!("全部 {}", goods.with_value(|g| g.len())),
            "stock-filter-all",
        ),
        (
            Filter::Low,
            format!("库存预警 {}", o.low_count),
            "stock-filter-low",
        ),
        (
            Filter::Inactive,
            format!("已下架 {}", o.inactive_count),
            "stock-filter-inactive",
        ),
    ];
    view! {
        <div class="stock-head">
            <div class="stock-figures">
                <div class="stat stock-stat" class:stock-stat-warn=short data-testid="stock-kinds">
                    <span class="stat-value">{o.kinds_on_sale}</span>
                    <span class="stat-label">{format!("在售商品种类（要求≥{}）", o.min_kinds)}</span>
                </div>
                <div class="stat stock-stat" class:stock-stat-warn={o.low_count > 0} data-testid="stock-low-count">
                    <span class="stat-value">{o.low_count}</span>
                    <span class="stat-label">"库存预警"</span>
                </div>
                <div class="stat stock-stat">
                    <span class="stat-value">{o.inactive_count}</span>
                    <span class="stat-label">"已下架"</span>
                </div>
            </div>
            <a class="button button-primary stock-new" href="/kiosk/stock/new" data-testid="stock-new">"＋ 新增商品"</a>
        </div>
        {o.kinds_warning.map(|w| view! {
            <p class="stock-warning" role="alert" data-testid="stock-kinds-warning">{w}</p>
        })}
        <div class="segmented stock-filters" role="group" aria-label="筛选">
            {filters.into_iter().map(|(f, label, id)| view! {
                <button type="button" class:active=move || filter.get() == f
                    aria-pressed=move || (filter.get() == f).to_string()
                    data-testid=id on:click=move |_| filter.set(f)>{label}</button>
            }).collect_view()}
        </div>
        <p class="note">"点商品可入库、调整库存、修改或下架。"</p>
        {move || {
            let list = shown();
            if list.is_empty() {
                view! { <p class="empty">"没有符合条件的商品"</p> }.into_any()
            } else {
                view! {
                    <ul class="stock-list" data-testid="stock-list">
                        {list.into_iter().map(|g| view! { <StockRow g/> }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
    .into_any()
}

#[component]
fn StockRow(g: StockGoods) -> impl IntoView {
    let href = format!("/kiosk/stock/goods/{}", g.id);
    let marks = badges(&g);
    let meta = format!("{} · {} 积分/{}", g.category, g.price, g.unit);
    let warn_at = format!("预警线 {}", g.low_stock);
    view! {
        <li>
            <a class="stock-row" class:inactive=!g.active class:low=g.low href=href
                data-testid="stock-row" data-name=g.name.clone()>
                <GoodsThumb goods=g.clone()/>
                <span class="stock-row-main">
                    <span class="stock-row-name">{g.name.clone()}</span>
                    <span class="stock-row-meta">{meta}</span>
                    <span class="stock-row-badges">{marks}</span>
                </span>
                <span class="stock-row-stock">
                    <span class="stock-row-count" data-testid="stock-row-count">{g.stock}</span>
                    <span class="stock-row-unit">{g.unit.clone()}</span>
                    <span class="stock-row-warn">{warn_at}</span>
                </span>
            </a>
        </li>
    }
}

// ------------------------------------------------------------ one goods

/// `/kiosk/stock/goods/:id`.
#[component]
pub fn KioskGoodsPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        <KioskShell title="库存管理" current="/kiosk/stock">
            {move || {
                let id = params.read().get("id").and_then(|s| s.parse::<i32>().ok()).map(GoodsId);
                match id {
                    Some(id) => view! { <GoodsStock id/> }.into_any(),
                    None => view! { <ErrorBox err=AppError::not_found("找不到该商品")/> }.into_any(),
                }
            }}
        </KioskShell>
    }
}

/// What the goods page is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Receive,
    Adjust,
    Edit,
}

/// The receipt form's fields.
#[derive(Clone, Copy)]
struct ReceiveFields {
    quantity: RwSignal<String>,
    cost: RwSignal<String>,
    supplier: RwSignal<String>,
    date: RwSignal<String>,
}

/// The adjustment form's fields; `down` takes stock away.
#[derive(Clone, Copy)]
struct AdjustFields {
    down: RwSignal<bool>,
    quantity: RwSignal<String>,
    reason: RwSignal<String>,
    note: RwSignal<String>,
    date: RwSignal<String>,
}

impl AdjustFields {
    /// The signed quantity as the server reads it.
    fn signed(&self) -> String {
        let q = self.quantity.get().trim().to_string();
        if self.down.get() {
            format!("-{q}")
        } else {
            q
        }
    }
}

/// The goods form's fields.
#[derive(Clone, Copy)]
struct GoodsFields {
    name: RwSignal<String>,
    unit: RwSignal<String>,
    category: RwSignal<String>,
    price: RwSignal<String>,
    low_stock: RwSignal<String>,
}

impl GoodsFields {
    fn new() -> Self {
        GoodsFields {
            name: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            category: RwSignal::new(String::new()),
            price: RwSignal::new(String::new()),
            low_stock: RwSignal::new("5".into()),
        }
    }

    fn load(&self, f: GoodsForm) {
        self.name.set(f.name);
        self.unit.set(f.unit);
        self.category.set(f.category);
        self.price.set(f.price);
        self.low_stock.set(f.low_stock);
    }

    /// Reads every field, for effects that follow the form.
    fn track(&self) {
        self.name.track();
        self.unit.track();
        self.category.track();
        self.price.track();
        self.low_stock.track();
    }

    fn form(&self) -> GoodsForm {
        GoodsForm {
            name: self.name.get_untracked(),
            unit: self.unit.get_untracked(),
            category: self.category.get_untracked(),
            price: self.price.get_untracked(),
            low_stock: self.low_stock.get_untracked(),
        }
    }
}

/// Everything the goods page keeps across reloads of its data.
#[derive(Clone, Copy)]
struct GoodsPage {
    tab: RwSignal<Tab>,
    notice: Notice,
    receive: ReceiveFields,
    adjust: AdjustFields,
    edit: GoodsFields,
    /// Whether `edit` holds the stored goods yet.
    edit_loaded: RwSignal<bool>,
    /// Bumped after every change: reloads the goods and its history.
    version: RwSignal<u32>,
}

#[component]
fn GoodsStock(id: GoodsId) -> impl IntoView {
    let query = use_query_map();
    let p = GoodsPage {
        tab: RwSignal::new(Tab::Receive),
        notice: RwSignal::new(
            query
                .read_untracked()
                .get("new")
                .map(|_| Ok("已新增商品。请在下方登记第一次入库。".to_string())),
        ),
        receive: ReceiveFields {
            quantity: RwSignal::new(String::new()),
            cost: RwSignal::new(String::new()),
            supplier: RwSignal::new(String::new()),
            date: RwSignal::new(china_day(chrono::Utc::now())),
        },
        adjust: AdjustFields {
            down: RwSignal::new(true),
            quantity: RwSignal::new(String::new()),
            reason: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            date: RwSignal::new(china_day(chrono::Utc::now())),
        },
        edit: GoodsFields::new(),
        edit_loaded: RwSignal::new(false),
        version: RwSignal::new(0),
    };
    let detail = Resource::new(move || (id, p.version.get()), |(id, _)| get_goods_stock(id));
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match detail.await {
                    Err(e) => view! { <ErrorBox err=e/> }.into_any(),
                    Ok(d) => {
                        if !p.edit_loaded.get_untracked() {
                            p.edit.load(d.goods.form());
                            p.edit_loaded.set(true);
                        }
                        view! { <GoodsStockView p d/> }.into_any()
                    }
                }
            })}
        </Transition>
        <a class="button" href="/kiosk/stock" data-testid="stock-back">"← 返回库存列表"</a>
    }
}

#[component]
fn GoodsStockView(p: GoodsPage, d: GoodsStockDetail) -> impl IntoView {
    let g = d.goods.clone();
    let marks = badges(&g);
    let tabs = [
        (Tab::Receive, "入库", "tab-receive"),
        (Tab::Adjust, "调整库存", "tab-adjust"),
        (Tab::Edit, "修改商品", "tab-edit"),
    ];
    let panel = {
        let g = g.clone();
        move || match p.tab.get() {
            Tab::Receive => view! { <ReceivePanel p g=g.clone()/> }.into_any(),
            Tab::Adjust => view! { <AdjustPanel p g=g.clone()/> }.into_any(),
            Tab::Edit => view! { <EditPanel p g=g.clone()/> }.into_any(),
        }
    };
    view! {
        <div class="stock-goods">
            <section class="panel stock-card">
                <GoodsThumb goods=g.clone() big=true/>
                <h1 class="stock-card-name" data-testid="goods-title">{g.name.clone()}</h1>
                <p class="stock-card-meta">{format!("{} · {} 积分/{}", g.category, g.price, g.unit)}</p>
                <p class="stock-card-count">
                    <span class="stock-card-label">"现有库存"</span>
                    <span class="stock-card-value" data-testid="goods-stock">{g.stock}</span>
                    <span class="stock-card-unit">{g.unit.clone()}</span>
                </p>
                <p class="stock-card-badges" data-testid="goods-badges">{marks}</p>
                <p class="note">{format!("库存不多于 {} {}时提醒补货", g.low_stock, g.unit)}</p>
                <p class="note" data-testid="goods-received">
                    {format!("累计入库 {} {}，进货金额 {} 元", d.received_units, g.unit, d.received_cost)}
                </p>
            </section>
            <section class="panel stock-actions">
                <div class="segmented stock-tabs" role="tablist">
                    {tabs.into_iter().map(|(t, label, id)| view! {
                        <button type="button" role="tab" class:active=move || p.tab.get() == t
                            aria-selected=move || (p.tab.get() == t).to_string()
                            data-testid=id
                            on:click=move |_| { p.tab.set(t); p.notice.set(None); }>{label}</button>
                    }).collect_view()}
                </div>
                {panel}
                <NoticeLine notice=p.notice/>
            </section>
        </div>
        <History d/>
    }
    .into_any()
}

#[component]
fn ReceivePanel(p: GoodsPage, g: StockGoods) -> impl IntoView {
    let f = p.receive;
    let (id, stock, unit) = (g.id, g.stock, g.unit.clone());
    let save = Action::new(move |form: &ReceiveForm| {
        let form = form.clone();
        async move {
            let r = stock_receive(form.clone()).await;
            p.notice.set(Some(r.map(|after| {
                f.quantity.set(String::new());
                p.version.update(|v| *v += 1);
                format!(
                    "已入库 {} {}，现有库存 {} {}",
                    form.quantity.trim(),
                    after.unit,
                    after.stock,
                    after.unit
                )
            })));
        }
    });
    clear_error_on_change(p.notice, move || {
        f.quantity.track();
        f.cost.track();
        f.supplier.track();
        f.date.track();
    });
    let preview = {
        let unit = unit.clone();
        move || {
            let q = parse_quantity(&f.quantity.get()).ok()?;
            let mut text = format!("入库后库存：{stock} → {} {unit}", stock + q);
            if let Ok(fen) = parse_yuan(&f.cost.get()) {
                text.push_str(&format!("；进货金额 {} 元", format_fen(fen * i64::from(q))));
            }
            Some(view! { <p class="preview" data-testid="receive-preview">{text}</p> })
        }
    };
    let submit = move |_| {
        let form = ReceiveForm {
            goods: id,
            quantity: f.quantity.get_untracked(),
            unit_cost: f.cost.get_untracked(),
            supplier: f.supplier.get_untracked(),
            moved_on: f.date.get_untracked(),
        };
        // The same checks as the server, for an answer without a round trip.
        let today = china_date(chrono::Utc::now());
        match form.check(today) {
            Err(e) => p.notice.set(Some(Err(AppError::from(e)))),
            Ok(_) => {
                save.dispatch(form);
            }
        }
    };
    view! {
        <div class="field-row">
            <label class="field stock-qty">
                <span>{format!("入库数量（{unit}）")}</span>
                <input type="text" inputmode="numeric" class="big-input stock-number" maxlength="5"
                    data-testid="receive-qty" placeholder="如 20"
                    prop:value=f.quantity on:input=move |ev| f.quantity.set(event_target_value(&ev))/>
            </label>
            <label class="field stock-qty">
                <span>{format!("进货单价（元/{}）", g.unit)}</span>
                <input type="text" inputmode="decimal" class="big-input stock-number" maxlength="9"
                    data-testid="receive-cost" placeholder="如 12.50"
                    prop:value=f.cost on:input=move |ev| f.cost.set(event_target_value(&ev))/>
            </label>
        </div>
        <div class="field-row">
            <label class="field grow">
                <span>"供货方（选填）"</span>
                <input type="text" class="big-input" maxlength="40" data-testid="receive-supplier"
                    placeholder="如 镇供销社"
                    prop:value=f.supplier on:input=move |ev| f.supplier.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"入库日期"</span>
                <input type="date" class="big-input" data-testid="receive-date" max=china_day(chrono::Utc::now())
                    prop:value=f.date on:input=move |ev| f.date.set(event_target_value(&ev))/>
            </label>
        </div>
        {preview}
        <button type="button" class="button button-primary button-block stock-submit" data-testid="receive-submit"
            disabled=move || save.pending().get() on:click=submit>
            {move || if save.pending().get() { "正在保存…" } else { "确认入库" }}
        </button>
    }
    .into_any()
}

#[component]
fn AdjustPanel(p: GoodsPage, g: StockGoods) -> impl IntoView {
    let f = p.adjust;
    let (id, stock, unit) = (g.id, g.stock, g.unit.clone());
    let save = Action::new(move |form: &AdjustForm| {
        let form = form.clone();
        async move {
            let r = stock_adjust(form).await;
            p.notice.set(Some(r.map(|after| {
                f.quantity.set(String::new());
                f.note.set(String::new());
                p.version.update(|v| *v += 1);
                format!("已调整，现有库存 {} {}", after.stock, after.unit)
            })));
        }
    });
    clear_error_on_change(p.notice, move || {
        f.down.track();
        f.quantity.track();
        f.reason.track();
        f.note.track();
        f.date.track();
    });
    let preview = {
        let unit = unit.clone();
        move || {
            let q = parse_adjust_quantity(&f.signed()).ok()?;
            Some(match check_stock_after(stock, q) {
                Ok(after) => view! {
                    <p class="preview" data-testid="adjust-preview">{format!("调整后库存：{stock} → {after} {unit}")}</p>
                }
                .into_any(),
                Err(e) => view! { <p class="form-error" data-testid="adjust-preview">{e.to_string()}</p> }.into_any(),
            })
        }
    };
    let submit = move |_| {
        let form = AdjustForm {
            goods: id,
            quantity: f.signed(),
            reason: f.reason.get_untracked(),
            note: f.note.get_untracked(),
            moved_on: f.date.get_untracked(),
        };
        let today = china_date(chrono::Utc::now());
        let checked = form
            .check(today)
            .and_then(|a| check_stock_after(stock, a.quantity));
        match checked {
            Err(e) => p.notice.set(Some(Err(AppError::from(e)))),
            Ok(_) => {
                save.dispatch(form);
            }
        }
    };
    let other = move || f.reason.get() == OTHER_REASON;
    view! {
        <div class="field">
            <span>"增加还是减少"</span>
            <div class="segmented stock-direction" role="group" aria-label="增加还是减少">
                <button type="button" class:active=move || f.down.get() aria-pressed=move || f.down.get().to_string()
                    data-testid="adjust-down" on:click=move |_| f.down.set(true)>"－ 减少"</button>
                <button type="button" class:active=move || !f.down.get() aria-pressed=move || (!f.down.get()).to_string()
                    data-testid="adjust-up" on:click=move |_| f.down.set(false)>"＋ 增加"</button>
            </div>
        </div>
        <label class="field stock-qty">
            <span>{format!("数量（{unit}）")}</span>
            <input type="text" inputmode="numeric" class="big-input stock-number" maxlength="5"
                data-testid="adjust-qty" placeholder="如 2"
                prop:value=f.quantity on:input=move |ev| f.quantity.set(event_target_value(&ev))/>
        </label>
        <div class="field">
            <span>"调整原因（必选）"</span>
            <div class="stock-chips" role="radiogroup" aria-label="调整原因">
                {ADJUST_REASONS.iter().enumerate().map(|(i, r)| view! {
                    <button type="button" role="radio" class="stock-chip"
                        class:active=move || f.reason.get() == *r
                        aria-checked=move || (f.reason.get() == *r).to_string()
                        data-testid=format!("adjust-reason-{i}")
                        on:click=move |_| f.reason.set(r.to_string())>{*r}</button>
                }).collect_view()}
            </div>
        </div>
        <div class="field-row">
            <label class="field grow">
                <span>{move || if other() { "说明（必填）" } else { "说明（选填）" }}</span>
                <input type="text" class="big-input" maxlength="100" data-testid="adjust-note"
                    placeholder="如 老鼠咬破两袋"
                    prop:value=f.note on:input=move |ev| f.note.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>"日期"</span>
                <input type="date" class="big-input" data-testid="adjust-date" max=china_day(chrono::Utc::now())
                    prop:value=f.date on:input=move |ev| f.date.set(event_target_value(&ev))/>
            </label>
        </div>
        {preview}
        <button type="button" class="button button-primary button-block stock-submit" data-testid="adjust-submit"
            disabled=move || save.pending().get() on:click=submit>
            {move || if save.pending().get() { "正在保存…" } else { "确认调整" }}
        </button>
    }
    .into_any()
}

/// Builds the upload of a goods photo.
fn photo_form(goods: GoodsId, file: &File) -> Option<FormData> {
    upload_form(&[("goods", &goods.0.to_string())], Some(("photo", file)))
}

#[component]
fn EditPanel(p: GoodsPage, g: StockGoods) -> impl IntoView {
    let id = g.id;
    let done = move |r: Result<StockGoods, AppError>, ok: &dyn Fn(&StockGoods) -> String| {
        p.notice.set(Some(r.map(|after| {
            p.version.update(|v| *v += 1);
            ok(&after)
        })));
    };
    let save = Action::new(move |form: &GoodsForm| {
        let form = form.clone();
        async move {
            let r = stock_goods_update(id, form).await;
            done(r, &|_| "已保存修改".into());
        }
    });
    let active = Action::new(move |on: &bool| {
        let on = *on;
        async move {
            let r = stock_goods_active(id, on).await;
            done(r, &|g| {
                if g.active {
                    "已重新上架".into()
                } else {
                    "已下架：兑换台不再显示该商品".into()
                }
            });
        }
    });
    let upload = Action::new_local(move |data: &FormData| {
        let data = data.clone();
        async move {
            let r = stock_goods_photo(data.into()).await;
            done(r, &|_| "照片已更新".into());
        }
    });
    let remove = Action::new(move |_: &()| async move {
        let r = stock_goods_photo_remove(id).await;
        done(r, &|_| "照片已移除".into());
    });
    clear_error_on_change(p.notice, move || p.edit.track());
    let submit = move |_| {
        let form = p.edit.form();
        match form.check() {
            Err(e) => p.notice.set(Some(Err(AppError::from(e)))),
            Ok(_) => {
                save.dispatch(form);
            }
        }
    };
    let on_photo = move |ev: leptos::ev::Event| {
        if let Some(data) = picked_file(&ev).and_then(|f| photo_form(id, &f)) {
            upload.dispatch_local(data);
        }
    };
    let has_photo = g.photo.is_some();
    let is_active = g.active;
    view! {
        <GoodsFieldsForm f=p.edit/>
        <button type="button" class="button button-primary button-block stock-submit" data-testid="goods-save"
            disabled=move || save.pending().get() on:click=submit>
            {move || if save.pending().get() { "正在保存…" } else { "保存修改" }}
        </button>
        <div class="stock-edit-row">
            <span class="stock-edit-label">"商品照片"</span>
            <label class="button stock-photo-pick">
                {move || if upload.pending().get() { "正在上传…" } else if has_photo { "更换照片" } else { "拍照 / 选择照片" }}
                <input type="file" accept="image/*" class="visually-hidden" data-testid="goods-photo-file" on:change=on_photo/>
            </label>
            {has_photo.then(|| view! {
                <button type="button" class="button" data-testid="goods-photo-remove"
                    on:click=move |_| { remove.dispatch(()); }>"移除照片"</button>
            })}
        </div>
        <div class="stock-edit-row">
            <span class="stock-edit-label">{if is_active { "在售中" } else { "已下架" }}</span>
            {if is_active {
                view! {
                    <button type="button" class="button" data-testid="goods-deactivate"
                        on:click=move |_| { active.dispatch(false); }>"下架（兑换台不再显示）"</button>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button button-primary" data-testid="goods-activate"
                        on:click=move |_| { active.dispatch(true); }>"重新上架"</button>
                }.into_any()
            }}
        </div>
    }
    .into_any()
}

/// Name, unit, category, price and threshold, for a new goods and an edit.
#[component]
fn GoodsFieldsForm(f: GoodsFields) -> impl IntoView {
    view! {
        <div class="field-row">
            <label class="field grow">
                <span>"商品名称"</span>
                <input type="text" class="big-input" maxlength="20" data-testid="goods-name" placeholder="如 洗衣皂"
                    prop:value=f.name on:input=move |ev| f.name.set(event_target_value(&ev))/>
            </label>
            <label class="field stock-unit">
                <span>"单位"</span>
                <input type="text" class="big-input" maxlength="4" list="stock-units" data-testid="goods-unit" placeholder="如 块"
                    prop:value=f.unit on:input=move |ev| f.unit.set(event_target_value(&ev))/>
                <datalist id="stock-units">
                    {UNITS.iter().map(|u| view! { <option value=*u/> }).collect_view()}
                </datalist>
            </label>
        </div>
        <div class="field">
            <span>"商品分类"</span>
            <div class="stock-chips" role="radiogroup" aria-label="商品分类">
                {CATEGORIES.iter().enumerate().map(|(i, c)| view! {
                    <button type="button" role="radio" class="stock-chip"
                        class:active=move || f.category.get() == *c
                        aria-checked=move || (f.category.get() == *c).to_string()
                        data-testid=format!("goods-category-{i}")
                        on:click=move |_| f.category.set(c.to_string())>{*c}</button>
                }).collect_view()}
            </div>
        </div>
        <div class="field-row">
            <label class="field stock-qty">
                <span>"兑换积分（每单位）"</span>
                <input type="text" inputmode="numeric" class="big-input stock-number" maxlength="4" data-testid="goods-price"
                    placeholder="1 到 9999"
                    prop:value=f.price on:input=move |ev| f.price.set(event_target_value(&ev))/>
            </label>
            <label class="field stock-qty">
                <span>"库存预警线"</span>
                <input type="text" inputmode="numeric" class="big-input stock-number" maxlength="4" data-testid="goods-low"
                    prop:value=f.low_stock on:input=move |ev| f.low_stock.set(event_target_value(&ev))/>
            </label>
        </div>
    }
}

#[component]
fn History(d: GoodsStockDetail) -> impl IntoView {
    let empty = d.movements.is_empty();
    let unit = d.goods.unit.clone();
    view! {
        <section class="panel stock-history">
            <h2>"出入库记录"</h2>
            {if empty {
                view! { <p class="empty">"还没有出入库记录"</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-label="表格，可左右滑动">
                        <table class="ledger-table stock-table" data-testid="movements">
                            <thead>
                                <tr>
                                    <th>"日期"</th><th>"类型"</th><th class="num">{format!("数量（{unit}）")}</th>
                                    <th class="num">"单价（元）"</th><th class="num">"金额（元）"</th>
                                    <th>"供货方"</th><th>"原因 / 兑换单"</th><th>"经办人"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d.movements.into_iter().map(|m| view! { <MovementLine m/> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
            {d.more.then(|| view! { <p class="note">"仅显示最近 200 条记录"</p> })}
        </section>
    }
    .into_any()
}

#[component]
fn MovementLine(m: MovementRow) -> impl IntoView {
    let sign_class = if m.quantity < 0 {
        "num strong points-minus"
    } else {
        "num strong points-plus"
    };
    let why = match (m.kind.as_str(), &m.receipt_no, &m.reason) {
        ("voided", Some(no), Some(r)) => format!("作废单 {no}：{r}"),
        ("voided", Some(no), None) => format!("作废单 {no}"),
        (_, Some(no), _) => format!("兑换单 {no}"),
        (_, None, r) => r.clone().unwrap_or_default(),
    };
    view! {
        <tr class=format!("mv-{}", m.kind) data-testid="movement-row">
            <td>{m.date}</td>
            <td><span class=format!("stock-kind stock-kind-{}", m.kind)>{m.kind_label}</span></td>
            <td class=sign_class>{format!("{:+}", m.quantity)}</td>
            <td class="num">{m.unit_cost.unwrap_or_default()}</td>
            <td class="num">{m.amount.unwrap_or_default()}</td>
            <td>{m.supplier.unwrap_or_default()}</td>
            <td>{why}</td>
            <td>{m.by}</td>
        </tr>
    }
}

// ------------------------------------------------------------ a new goods

/// `/kiosk/stock/new`.
#[component]
pub fn KioskGoodsNewPage() -> impl IntoView {
    view! {
        <KioskShell title="新增商品" current="/kiosk/stock">
            {move || match use_context::<KioskVillage>() {
                Some(KioskVillage(village)) => view! { <NewGoods village/> }.into_any(),
                None => view! { <Loading/> }.into_any(),
            }}
        </KioskShell>
    }
}

#[component]
fn NewGoods(village: VillageId) -> impl IntoView {
    let f = GoodsFields::new();
    // The picked File is held by `picked`; the reactive graph only holds
    // its name.
    let photo = RwSignal::new(None::<String>);
    let picked = PickedFiles::new("new-goods-photo");
    let notice: Notice = RwSignal::new(None);
    // Set when the goods was saved but its photo was not.
    let saved = RwSignal::new(None::<GoodsId>);
    let go = RwSignal::new(None::<String>);
    {
        let navigate = use_navigate();
        Effect::new(move |_| {
            if let Some(path) = go.get() {
                navigate(&path, Default::default());
            }
        });
    }
    let create = Action::new_local(move |form: &GoodsForm| {
        let form = form.clone();
        let file = picked.get();
        async move {
            let g = match stock_goods_create(village, form).await {
                Ok(g) => g,
                Err(e) => return notice.set(Some(Err(e))),
            };
            if let Some(data) = file.as_ref().and_then(|file| photo_form(g.id, file)) {
                if let Err(e) = stock_goods_photo(data.into()).await {
                    saved.set(Some(g.id));
                    return notice.set(Some(Err(AppError::Invalid(format!(
                        "商品已保存，但照片未能上传：{e}"
                    )))));
                }
            }
            go.set(Some(format!("/kiosk/stock/goods/{}?new=1", g.id)));
        }
    });
    clear_error_on_change(notice, move || {
        f.track();
        photo.track();
    });
    let submit = move |_| {
        let form = f.form();
        match form.check() {
            Err(e) => notice.set(Some(Err(AppError::from(e)))),
            Ok(_) => {
                notice.set(None);
                create.dispatch_local(form);
            }
        }
    };
    view! {
        <section class="panel stock-new-panel">
            <h1>"新增商品"</h1>
            <p class="note">"新商品保存后库存为 0，请随后登记入库。"</p>
            <GoodsFieldsForm f/>
            <div class="stock-edit-row">
                <span class="stock-edit-label">"商品照片（选填）"</span>
                <label class="button stock-photo-pick">
                    {move || if photo.with(|p| p.is_some()) { "换一张" } else { "拍照 / 选择照片" }}
                    <input type="file" accept="image/*" class="visually-hidden" data-testid="goods-photo-file"
                        on:change=move |ev| { if let Some(file) = picked_file(&ev) { photo.set(Some(file.name())); picked.set(Some(file)); } }/>
                </label>
                {move || photo.get().map(|name| view! {
                    <span class="stock-photo-name" data-testid="goods-photo-name">{format!("已选：{name}")}</span>
                    <button type="button" class="button" on:click=move |_| { photo.set(None); picked.set(None); }>"不用照片"</button>
                })}
            </div>
            <button type="button" class="button button-primary button-block stock-submit" data-testid="goods-create"
                disabled=move || create.pending().get() on:click=submit>
                {move || if create.pending().get() { "正在保存…" } else { "保存商品" }}
            </button>
            <NoticeLine notice/>
            {move || saved.get().map(|id| view! {
                <a class="button" href=format!("/kiosk/stock/goods/{id}")>"查看该商品"</a>
            })}
        </section>
        <a class="button" href="/kiosk/stock" data-testid="stock-back">"← 返回库存列表"</a>
    }
    .into_any()
}
