//! An authorization test over every server function, found at test time in
//! server_fn's registry: each is called as anonymous, a villager, a
//! supermarket clerk and a village clerk of another village (新店村 201),
//! with arguments naming 沙坝村 200's objects. Each function is either a
//! reviewed public read, a call on the caller's own data (no foreign id to
//! name, so only anonymous is refused), or refuses those callers with 401,
//! 403 or 404. The caller it is for (200's clerk, counter, household, or the
//! town) must then pass the check, which proves the arguments were right.
//! A function in the registry but not in [`cases`] fails the test.

use crate::common;

use std::collections::{BTreeSet, HashMap};

use app::server::entities::*;
use app::server::Db;
use axum::body::Body;
use common::*;
use http::{header, Method, Request, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{json, Value};

/// Who a function is for, and so whom it must refuse.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Access {
    /// Reviewed public: anyone may call it (the reason is in the table).
    Public,
    /// Acts on the caller's own account, household or counter: there is no
    /// other village's object to name; anonymous is refused.
    Own,
    /// For this caller of 沙坝村 200 (or the town): every caller of another
    /// village, and anonymous, is refused.
    For(&'static str),
}
use Access::*;

/// How the arguments travel.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Enc {
    Get,
    Form,
    Json,
    /// A multipart upload: the named id field and a `photo`.
    Multipart(&'static str),
}

/// One authorization case: endpoint, encoding, arguments (with `$name`
/// placeholders for village 200's objects), who it is for.
type Case = (&'static str, Enc, Value, Access);

/// Every server function's case. Public entries say why they are public.
fn cases() -> Vec<Case> {
    use Enc::*;
    let form_hh = json!({ "group": "$group", "head_name": "测试", "card_no": "", "address": "x",
        "resident": true, "aware": true, "members": [] });
    let goods_form = json!({ "name": "测试", "unit": "个", "category": "日用品", "price": "1", "low_stock": "1" });
    let notice_form = json!({ "category": "村务", "title": "t", "body": "b", "pinned": false, "publish_at": null });
    vec![
        // --- public reads: the portal everyone may see without signing in
        ("town_overview", Get, json!({}), Public), // the town's public key figures
        ("village_info", Get, json!({ "village": "$v" }), Public), // village page header
        ("village_rules", Get, json!({ "village": "$v" }), Public), // rules are published (公开)
        ("village_rulebook", Get, json!({ "village": "$v" }), Public), // published revisions and their decisions; drafts never
        ("village_goods", Get, json!({ "village": "$v" }), Public), // the supermarket's public shelf
        (
            "leaderboard",
            Get,
            json!({ "village": "$v", "period": "Month" }),
            Public,
        ), // 积分榜 is public
        ("village_ranking", Get, json!({}), Public),                // villages ranked, public
        ("search_households", Get, json!({ "q": "1" }), Public), // public posting: card, name, balance
        (
            "household_public",
            Get,
            json!({ "card_no": "$card" }),
            Public,
        ), // 自家积分明细 without login
        ("village_notices", Get, json!({ "village": "$v" }), Public), // published notices only
        ("town_notices", Get, json!({}), Public),                // published notices only
        ("notice_detail", Get, json!({ "id": "$notice" }), Public), // published only, else 404
        (
            "village_activities",
            Get,
            json!({ "village": "$v" }),
            Public,
        ), // published activities
        ("town_activities", Get, json!({}), Public),             // published activities
        ("activity_detail", Get, json!({ "id": "$activity" }), Public), // published only, else 404
        ("published_months", Get, json!({ "village": "$v" }), Public), // 月度公示 list
        (
            "published_month",
            Get,
            json!({ "village": "$v", "month": "$published" }),
            Public,
        ), // frozen posting
        ("public_coverage", Get, json!({}), Public), // the town's public coverage figures
        ("demo_accounts", Get, json!({}), Public),   // empty unless demo mode
        (
            "login",
            Form,
            json!({ "username": "nobody", "password": "x" }),
            Public,
        ), // signing in
        ("logout", Form, json!({}), Public),         // ends the caller's own session, if any
        ("current_user", Get, json!({}), Public),    // null when anonymous
        // The caller's own household's members at an activity: null for
        // anyone who is not a villager of its village, so nothing to leak.
        (
            "activity_my_members",
            Get,
            json!({ "id": "$activity" }),
            Public,
        ),
        // --- the caller's own data
        ("my_home", Get, json!({}), Own),
        ("villager_home", Get, json!({}), Own),
        ("counter_shelf", Get, json!({}), Own),
        ("counter_day", Get, json!({ "date": "$today" }), Own),
        ("counter_search", Get, json!({ "q": "$card" }), Own),
        ("counter_identify", Get, json!({ "card_no": "$card" }), Own),
        (
            "counter_receipt_by_key",
            Get,
            json!({ "key": "some-order-key" }),
            Own,
        ),
        ("upload_evidence", Multipart("village"), json!({}), Own),
        // --- 沙坝村 200's back office (or the town admin)
        (
            "office_households",
            Get,
            json!({ "village": "$v", "q": "" }),
            For("cun200"),
        ),
        (
            "office_roster",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "office_members",
            Get,
            json!({ "village": "$v", "household": "$hh" }),
            For("cun200"),
        ),
        (
            "office_entries",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "record_entry",
            Form,
            json!({ "household": "$hh", "rule_item": "$item", "reason": "authz",
            "occurred_on": "$today" }),
            For("cun200"),
        ),
        (
            "record_batch",
            Json,
            json!({ "households": ["$hh"], "rule_item": "$item", "reason": "authz",
            "occurred_on": "$today", "evidence": null }),
            For("cun200"),
        ),
        (
            "reverse_entry",
            Form,
            json!({ "entry": "$entry", "reason": "authz" }),
            For("cun200"),
        ),
        (
            "household_private",
            Get,
            json!({ "household": "$hh" }),
            For("cun200"),
        ),
        (
            "office_pending",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "office_reviewed",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "review_proposals",
            Json,
            json!({ "village": "$v", "proposals": ["$proposal"], "approve": false,
            "reason": "authz" }),
            For("cun200"),
        ),
        (
            "office_appeals",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "answer_appeal",
            Form,
            json!({ "appeal": "$appeal", "uphold": false, "answer": "authz" }),
            For("cun200"),
        ),
        (
            "villager_login",
            Get,
            json!({ "village": "$v", "household": "$hh" }),
            For("cun200"),
        ),
        (
            "set_villager_login",
            Form,
            json!({ "village": "$v", "household": "$hh", "phone": "", "pin": "" }),
            For("cun200"),
        ),
        (
            "office_ledger_months",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "office_ledger_month",
            Get,
            json!({ "village": "$v", "month": "$month" }),
            For("cun200"),
        ),
        (
            "publish_month",
            Form,
            json!({ "village": "$v", "month": "$published" }),
            For("cun200"),
        ),
        (
            "hh_list",
            Get,
            json!({ "village": "$v", "q": "", "status": "Current", "page": 0 }),
            For("cun200"),
        ),
        (
            "hh_detail",
            Get,
            json!({ "village": "$v", "household": "$hh" }),
            For("cun200"),
        ),
        (
            "hh_defaults",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "hh_create",
            Json,
            json!({ "village": "$v", "form": form_hh.clone() }),
            For("cun200"),
        ),
        (
            "hh_update",
            Json,
            json!({ "village": "$v", "household": "$hh", "form": form_hh }),
            For("cun200"),
        ),
        (
            "hh_moved_away",
            Form,
            json!({ "village": "$v", "household": "$spare", "moved_away": true }),
            For("cun200"),
        ),
        (
            "hh_delete",
            Form,
            json!({ "village": "$v", "household": "$spare" }),
            For("cun200"),
        ),
        (
            "hh_import_preview",
            Multipart("village"),
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "hh_import_commit",
            Multipart("village"),
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "hh_templates",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        ("hh_cards", Get, json!({ "village": "$v" }), For("cun200")),
        (
            "cards_printed",
            Json,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "office_groups",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "group_create",
            Json,
            json!({ "village": "$v", "name": "授权测试组" }),
            For("cun200"),
        ),
        (
            "group_rename",
            Json,
            json!({ "village": "$v", "group": "$spare_group", "name": "授权改名组" }),
            For("cun200"),
        ),
        (
            "group_merge",
            Json,
            json!({ "village": "$v", "from": "$spare_group", "into": "$group" }),
            For("cun200"),
        ),
        (
            "office_notices",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "office_notice",
            Get,
            json!({ "village": "$v", "id": "$notice" }),
            For("cun200"),
        ),
        (
            "notice_create",
            Json,
            json!({ "village": "$v", "form": notice_form.clone() }),
            For("cun200"),
        ),
        (
            "notice_update",
            Json,
            json!({ "village": "$v", "id": "$notice", "form": notice_form }),
            For("cun200"),
        ),
        (
            "notice_preview",
            Json,
            json!({ "village": "$v", "body": "b" }),
            For("cun200"),
        ),
        (
            "notice_upload",
            Multipart("notice"),
            json!({ "notice": "$notice" }),
            For("cun200"),
        ),
        (
            "office_activities",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "office_activity",
            Get,
            json!({ "village": "$v", "id": "$activity" }),
            For("cun200"),
        ),
        (
            "create_activity",
            Json,
            json!({ "village": "$v", "form": { "title": "t", "description": "d",
            "category": "志愿服务", "place": "p", "starts": "", "ends": "", "deadline": "", "capacity": "",
            "rule_item": null } }),
            For("cun200"),
        ),
        (
            "activity_set_status",
            Form,
            json!({ "id": "$activity", "to": "cancelled", "reason": "authz" }),
            For("cun200"),
        ),
        (
            "activity_card",
            Get,
            json!({ "village": "$v", "id": "$activity", "card": "$card" }),
            For("cun200"),
        ),
        (
            "activity_household",
            Get,
            json!({ "village": "$v", "id": "$activity", "household": "$hh" }),
            For("cun200"),
        ),
        (
            "activity_check_in",
            Form,
            json!({ "id": "$activity", "member": "$member", "present": true }),
            For("cun200"),
        ),
        (
            "activity_award",
            Form,
            json!({ "id": "$activity" }),
            For("cun200"),
        ),
        (
            "activity_photo",
            Multipart("activity"),
            json!({ "activity": "$activity" }),
            For("cun200"),
        ),
        (
            "acceptance_village",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "village_funds",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "fund_reconcile",
            Get,
            json!({ "village": "$v", "from": "$month", "to": "$month" }),
            For("cun200"),
        ),
        (
            "village_dashboard",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        // --- 沙坝村 200's household
        (
            "declare_deed",
            Form,
            json!({ "rule_item": "$item", "occurred_on": "$today", "reason": "authz",
            "household": "$hh" }),
            For("hu200"),
        ),
        (
            "file_appeal",
            Form,
            json!({ "entry": "$entry", "reason": "authz" }),
            For("hu200"),
        ),
        (
            "activity_sign_up",
            Form,
            json!({ "id": "$activity", "member": "$member" }),
            For("hu200"),
        ),
        (
            "activity_withdraw",
            Form,
            json!({ "signup": "$signup" }),
            For("hu200"),
        ),
        // --- 沙坝村 200's counter
        (
            "redeem",
            Json,
            json!({ "household": "$hh", "lines": [{ "goods": "$goods", "quantity": 1 }],
            "idempotency_key": "authz-order-0001" }),
            For("shop200"),
        ),
        (
            "void_redemption",
            Form,
            json!({ "redemption": "$redemption", "reason": "authz" }),
            For("shop200"),
        ),
        (
            "stock_overview",
            Get,
            json!({ "village": "$v" }),
            For("shop200"),
        ),
        (
            "stock_goods",
            Get,
            json!({ "goods": "$goods" }),
            For("shop200"),
        ),
        (
            "stock_receive",
            Json,
            json!({ "form": { "goods": "$goods", "quantity": "1", "unit_cost": "1",
            "supplier": "s", "moved_on": "$today" } }),
            For("shop200"),
        ),
        (
            "stock_adjust",
            Json,
            json!({ "form": { "goods": "$goods", "quantity": "-1", "reason": "盘点更正",
            "note": "n", "moved_on": "$today" } }),
            For("shop200"),
        ),
        (
            "stock_goods_create",
            Json,
            json!({ "village": "$v", "form": goods_form.clone() }),
            For("shop200"),
        ),
        (
            "stock_goods_update",
            Json,
            json!({ "goods": "$goods", "form": goods_form }),
            For("shop200"),
        ),
        (
            "stock_goods_active",
            Form,
            json!({ "goods": "$goods", "active": true }),
            For("shop200"),
        ),
        (
            "stock_goods_photo",
            Multipart("goods"),
            json!({ "goods": "$goods" }),
            For("shop200"),
        ),
        (
            "stock_goods_photo_remove",
            Form,
            json!({ "goods": "$goods" }),
            For("shop200"),
        ),
        // --- the town
        ("town_dashboard", Get, json!({}), For("admin")),
        ("town_evaluation", Get, json!({}), For("admin")),
        ("funds_overview", Get, json!({}), For("admin")),
        ("funds_publish", Json, json!({ "on": false }), For("admin")),
        (
            "fund_grant",
            Json,
            json!({ "village": "$v", "kind": "subsidy", "granted_on": "$today", "note": "n" }),
            For("admin"),
        ),
        (
            "fund_payment",
            Json,
            json!({ "form": { "fund": "$fund", "tranche": 1, "amount": "1", "paid_on": "$today",
            "note": "n" } }),
            For("admin"),
        ),
        (
            "fund_spend",
            Multipart("village"),
            json!({ "village": "$v" }),
            For("admin"),
        ),
        (
            "fund_spending_reverse",
            Json,
            json!({ "id": "$spending", "reason": "authz" }),
            For("admin"),
        ),
        (
            "fund_payment_reverse",
            Json,
            json!({ "id": "$payment", "reason": "authz" }),
            For("admin"),
        ),
        ("acceptance_list", Get, json!({}), For("admin")),
        (
            "acceptance_upload",
            Multipart("village"),
            json!({ "village": "$v" }),
            For("admin"),
        ),
        (
            "acceptance_mark",
            Json,
            json!({ "village": "$v", "on": "$today", "note": "n" }),
            For("admin"),
        ),
        (
            "acceptance_withdraw",
            Json,
            json!({ "village": "$v", "reason": "authz" }),
            For("admin"),
        ),
        ("living_score_grid", Get, json!({}), For("admin")),
        (
            "living_score_set",
            Json,
            json!({ "village": "$v", "month": "$month", "score": "80" }),
            For("admin"),
        ),
        ("flag_list", Get, json!({}), For("admin")),
        (
            "flag_record",
            Json,
            json!({ "village": "$v", "kind": "major_crime", "on": "$today", "note": "n" }),
            For("admin"),
        ),
        (
            "flag_lift",
            Json,
            json!({ "id": "$flag", "reason": "authz" }),
            For("admin"),
        ),
        (
            "nomination_list",
            Get,
            json!({ "year": "$year" }),
            For("admin"),
        ),
        (
            "nomination_make",
            Json,
            json!({ "year": "$year", "level": "town", "village": "$v", "note": "n" }),
            For("admin"),
        ),
        // --- 沙坝村 200's rule catalogue editor; the draft's own change is
        // removed before the draft is discarded (owners run in this order).
        (
            "rules_editor",
            Get,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "rules_draft_save",
            Json,
            json!({ "village": "$v", "form": { "kind": "Retire", "item": "$item", "category": "x",
            "title": "x", "points": 1, "unit": "PerTime", "monthly_cap": null,
            "evidence_required": false } }),
            For("cun200"),
        ),
        (
            "rules_draft_remove",
            Json,
            json!({ "village": "$v", "change": "$rule_change" }),
            For("cun200"),
        ),
        (
            "rules_draft_copy",
            Json,
            json!({ "village": "$v", "source": "Standard" }),
            For("cun200"),
        ),
        (
            "rules_publish",
            Multipart("village"),
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "rules_draft_discard",
            Json,
            json!({ "village": "$v" }),
            For("cun200"),
        ),
        (
            "nomination_withdraw",
            Json,
            json!({ "year": "$year", "level": "town", "reason": "authz" }),
            For("admin"),
        ),
        // --- staff accounts: the town admin alone; one's own password
        ("staff_page", Get, json!({}), For("admin")),
        (
            "staff_suggest_username",
            Get,
            json!({ "role": "Clerk", "village": "$v" }),
            For("admin"),
        ),
        (
            "staff_create",
            Json,
            json!({ "form": staff_form("authz-new") }),
            For("admin"),
        ),
        (
            "staff_update",
            Json,
            json!({ "id": "$staff", "form": staff_form("authz-spare") }),
            For("admin"),
        ),
        (
            "staff_set_active",
            Form,
            json!({ "id": "$staff", "active": false }),
            For("admin"),
        ),
        (
            "staff_reset_password",
            Form,
            json!({ "id": "$staff" }),
            For("admin"),
        ),
        (
            "change_password",
            Form,
            json!({ "old": "x", "new": "y", "repeat": "y" }),
            Own,
        ),
        // --- the scoring team of 200: proposes, approves nothing
        ("scorer_home", Get, json!({}), Own),
        (
            "scorer_propose",
            Form,
            json!({ "household": "$hh", "rule_item": "$item", "occurred_on": "$today",
            "reason": "authz" }),
            For("pf200"),
        ),
        ("setup_overview", Get, json!({}), For("admin")),
        (
            "unit_flags_set",
            Json,
            json!({ "village": "$v", "agricultural": true, "taking_part": true }),
            For("admin"),
        ),
    ]
}

/// A staff account form naming village 200.
fn staff_form(username: &str) -> Value {
    json!({ "username": username, "display_name": "测试", "phone": "", "role": "Clerk",
        "village": "$v", "group": null, "household_card": "" })
}

/// Every server function the app registers, as `(endpoint, method)`. The
/// endpoint is the path without `/api/`.
fn registered() -> BTreeSet<(String, Method)> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            let name = path.strip_prefix("/api/").unwrap_or(path).to_string();
            (name, method)
        })
        .collect()
}

/// Village 200's objects the arguments name.
async fn objects(db: &Db) -> HashMap<&'static str, Value> {
    let v = village(db, "200").await;
    let hh = first_household(db, v.id).await;
    let spare = empty_household(db, v.id, "2009991").await;
    let mut o: HashMap<&'static str, Value> = HashMap::new();
    macro_rules! first {
        ($entity:ident, $filter:expr) => {
            $entity::Entity::find()
                .filter($filter)
                .order_by_asc($entity::Column::Id)
                .one(&db.conn)
                .await
                .unwrap()
                .map(|m| json!(m.id))
                .unwrap_or(json!(999_999))
        };
    }
    o.insert("v", json!(v.id));
    o.insert("hh", json!(hh.id));
    o.insert("spare", json!(spare.id));
    o.insert("card", json!(hh.card_no));
    o.insert(
        "member",
        first!(member, member::Column::HouseholdId.eq(hh.id)),
    );
    o.insert(
        "group",
        first!(village_group, village_group::Column::VillageId.eq(v.id)),
    );
    // An empty group of its own for renaming and merging away, so the
    // other cases keep village 200's groups as they are.
    let spare_group = village_group::ActiveModel {
        village_id: Set(v.id),
        name: Set("授权备用组".into()),
        sort_order: Set(99),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    o.insert("spare_group", json!(spare_group.id));
    o.insert(
        "entry",
        first!(ledger_entry, ledger_entry::Column::HouseholdId.eq(hh.id)),
    );
    o.insert(
        "item",
        first!(rule_item, rule_item::Column::VillageId.eq(v.id)),
    );
    o.insert("goods", first!(goods, goods::Column::VillageId.eq(v.id)));
    o.insert(
        "redemption",
        first!(redemption, redemption::Column::VillageId.eq(v.id)),
    );
    o.insert(
        "activity",
        first!(activity, activity::Column::VillageId.eq(v.id)),
    );
    o.insert("notice", first!(notice, notice::Column::VillageId.eq(v.id)));
    o.insert(
        "proposal",
        first!(proposal, proposal::Column::VillageId.eq(v.id)),
    );
    o.insert("appeal", first!(appeal, appeal::Column::VillageId.eq(v.id)));
    let spare_staff = user_account::ActiveModel {
        username: Set("authz-spare".into()),
        password_hash: Set(app::server::auth::hash_password("authz-spare-2026")),
        display_name: Set("测试".into()),
        role: Set("clerk".into()),
        village_id: Set(Some(v.id)),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    o.insert("staff", json!(spare_staff.id));
    let admin = caller(db, "admin").await;
    let flag = village_flag::ActiveModel {
        village_id: Set(v.id),
        kind: Set("major_crime".into()),
        occurred_on: Set(today()),
        note: Set("authz".into()),
        recorded_by: Set(admin.user.0),
        recorded_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&db.conn)
    .await
    .unwrap();
    o.insert("flag", json!(flag.id));
    o.insert("fund", first!(fund, fund::Column::VillageId.eq(v.id)));
    o.insert(
        "payment",
        first!(fund_payment, fund_payment::Column::VillageId.eq(v.id)),
    );
    o.insert(
        "spending",
        first!(fund_spending, fund_spending::Column::VillageId.eq(v.id)),
    );
    let activity_id = o["activity"].as_i64().unwrap() as i32;
    o.insert(
        "signup",
        first!(
            activity_signup,
            activity_signup::Column::ActivityId.eq(activity_id)
        ),
    );
    // A draft revision of 200 with one addition, for the editor's cases.
    let draft = app::server::rules::save_change(
        db,
        &caller(db, "cun200").await,
        app::domain::VillageId(v.id),
        &app::api::rules::ChangeForm {
            kind: app::domain::rule_revision::ChangeKind::Add,
            item: None,
            category: "参与村务".into(),
            title: "授权测试细则".into(),
            points: 1,
            unit: app::domain::rules::RuleUnit::PerTime,
            monthly_cap: None,
            evidence_required: false,
        },
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    o.insert("rule_change", json!(draft.changes[0].id));
    let published = published_month::Entity::find()
        .filter(published_month::Column::VillageId.eq(v.id))
        .one(&db.conn)
        .await
        .unwrap()
        .map(|p| p.month)
        .unwrap_or(202601);
    o.insert("published", json!(published));
    let today = today();
    o.insert("today", json!(today.format("%Y-%m-%d").to_string()));
    o.insert("month", json!(app::domain::time::month_key(today)));
    o.insert("year", json!(chrono::Datelike::year(&today)));
    o
}

/// Replaces `"$name"` strings by village 200's objects.
fn fill(v: &Value, o: &HashMap<&'static str, Value>) -> Value {
    match v {
        Value::String(s) if s.starts_with('$') => o
            .get(&s[1..])
            .unwrap_or_else(|| panic!("no object {s}"))
            .clone(),
        Value::Array(a) => Value::Array(a.iter().map(|x| fill(x, o)).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, x)| (k.clone(), fill(x, o))).collect()),
        other => other.clone(),
    }
}

/// Flat arguments as `a=1&b=x` (nulls left out), for GET and form posts.
fn query(args: &Value) -> String {
    let mut out = Vec::new();
    for (k, v) in args.as_object().unwrap() {
        let s = match v {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push(format!("{k}={}", urlencoding(&s)));
    }
    out.join("&")
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The request for one case, from the app's own origin.
fn build(
    endpoint: &str,
    method: &Method,
    enc: Enc,
    args: &Value,
    cookie: Option<&str>,
) -> Request<Body> {
    let uri = format!("/api/{endpoint}");
    let mut b = Request::builder().header(header::HOST, "127.0.0.1:3000");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let (uri, content_type, body) = match enc {
        _ if *method == Method::GET => (format!("{uri}?{}", query(args)), None, Body::empty()),
        Enc::Get | Enc::Form => (
            uri,
            Some("application/x-www-form-urlencoded".to_string()),
            Body::from(query(args)),
        ),
        Enc::Json => (
            uri,
            Some("application/json".to_string()),
            Body::from(args.to_string()),
        ),
        Enc::Multipart(field) => {
            let id = args
                .get(field)
                .map(|v| v.to_string())
                .unwrap_or_else(|| "0".into());
            let body = format!(
                "--XAUTHZ\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{id}\r\n\
                 --XAUTHZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\
                 Content-Type: image/jpeg\r\n\r\nnot a photo\r\n--XAUTHZ--\r\n"
            );
            (
                uri,
                Some("multipart/form-data; boundary=XAUTHZ".to_string()),
                Body::from(body),
            )
        }
    };
    b = b.method(method.clone()).uri(uri);
    if let Some(ct) = content_type {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    b.body(body).unwrap()
}

fn refused(s: StatusCode) -> bool {
    matches!(s.as_u16(), 401 | 403 | 404)
}

#[tokio::test]
async fn every_server_function_refuses_callers_of_another_village_or_is_a_reviewed_public_read() {
    let db = small_town("authz").await;
    let app = app_router(&db);
    let registry = registered();
    assert!(
        registry.len() > 100,
        "registry looks empty: {}",
        registry.len()
    );
    let table = cases();
    let names: BTreeSet<&str> = table.iter().map(|c| c.0).collect();
    let missing: Vec<&String> = registry
        .iter()
        .map(|(n, _)| n)
        .filter(|n| !names.contains(n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "new server function without an authorization case: {missing:?}"
    );
    let stale: Vec<&&str> = names
        .iter()
        .filter(|n| !registry.iter().any(|(r, _)| r == *n))
        .collect();
    assert!(
        stale.is_empty(),
        "cases for no registered function: {stale:?}"
    );
    let methods: HashMap<String, Method> = registry.into_iter().collect();

    let objects = objects(&db).await;
    let mut cookies: HashMap<&str, String> = HashMap::new();
    for user in [
        "hu201", "shop201", "cun201", "cun200", "shop200", "hu200", "admin", "pf200", "zhen",
    ] {
        cookies.insert(user, login(&app, user).await);
    }
    let mut failures = Vec::new();
    // Foreign callers first: nothing they try may change what the owners see.
    for (endpoint, enc, args, access) in &table {
        let args = fill(args, &objects);
        let method = &methods[*endpoint];
        let foreign: &[Option<&str>] = match access {
            Public => &[],
            Own => &[None],
            For(_) => &[None, Some("hu201"), Some("shop201"), Some("cun201")],
        };
        let town_only = matches!(access, For("admin"));
        let mut also: Vec<Option<&str>> = if town_only {
            vec![Some("cun200"), Some("shop200")]
        } else {
            Vec::new()
        };
        // The scorer of 200 may do nothing but what is theirs; town staff
        // read the town's records and write nothing.
        if let For(owner) = access {
            if *owner != "pf200" {
                also.push(Some("pf200"));
            }
            if *method != Method::GET {
                also.push(Some("zhen"));
            }
        }
        for who in foreign.iter().chain(&also) {
            let cookie = who.map(|w| cookies[w].as_str());
            let r = send(&app, build(endpoint, method, *enc, &args, cookie)).await;
            if !refused(r.status) {
                failures.push(format!(
                    "{endpoint} as {}: {} {}",
                    who.unwrap_or("anonymous"),
                    r.status,
                    r.body.chars().take(120).collect::<String>()
                ));
            }
        }
    }
    // Then each function's own caller passes the check: the arguments name
    // real objects, so the refusals above were not just "no such id".
    for (endpoint, enc, args, access) in &table {
        let For(owner) = access else { continue };
        let args = fill(args, &objects);
        let r = send(
            &app,
            build(
                endpoint,
                &methods[*endpoint],
                *enc,
                &args,
                Some(&cookies[owner]),
            ),
        )
        .await;
        if refused(r.status) || r.status.is_server_error() {
            failures.push(format!(
                "{endpoint} as its own caller {owner}: {} {}",
                r.status,
                r.body.chars().take(120).collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
