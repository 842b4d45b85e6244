//! The households service (户籍管理): list and edit a village's households
//! and members, mark them moved away, import them from a clerk's spreadsheet
//! (all or nothing), and print their cards. Every write is audited.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use base64::Engine;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::entities::{
    audit_log, household, household_month, ledger_entry, member, redemption, user_account, village,
    village_group,
};
use super::{audit, like, Db};
use domain::households::{
    check_address, check_card_no, check_cell_position, check_members, check_name, next_card_no,
    plan_import, ImportContext, ImportPlan, MemberInput, MAX_IMPORT_COLUMNS, MAX_IMPORT_SHEET_ROWS,
    TEMPLATE_COLUMNS, TEMPLATE_EXAMPLES,
};
use domain::roles::Caller;
use domain::{GroupId, HouseholdId, MemberId, VillageId};
use wire::households::{
    HouseholdCard, HouseholdCounts, HouseholdDetail, HouseholdForm, HouseholdList, HouseholdRow,
    HouseholdStatus, ImportDone, ImportTemplates, MemberView, NewHouseholdDefaults,
};
use wire::types::GroupView;
use wire::AppError;

/// Households per page of the office list.
pub const PAGE_SIZE: u64 = 20;
/// Largest import file accepted, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 4 * 1024 * 1024;

/// Surnames whose reading differs from the character's common one.
const SURNAME_INITIALS: &[(char, char)] = &[
    ('曾', 'z'),
    ('单', 's'),
    ('仇', 'q'),
    ('解', 'x'),
    ('查', 'z'),
    ('朴', 'p'),
    ('覃', 'q'),
    ('区', 'o'),
    ('缪', 'm'),
    ('翟', 'z'),
    ('盖', 'g'),
    ('尉', 'y'),
    ('乐', 'y'),
    ('种', 'c'),
    ('重', 'c'),
];

/// Lowercase pinyin initials of a name for the search (张三 gives `zs`):
/// surnames with a special reading first, then each character's common
/// reading; ASCII letters and digits are kept, other characters skipped.
pub fn head_initials(name: &str) -> String {
    use pinyin::ToPinyin;
    name.chars()
        .enumerate()
        .filter_map(|(i, c)| {
            if c.is_ascii_alphanumeric() {
                return Some(c.to_ascii_lowercase());
            }
            if i == 0 {
                if let Some((_, l)) = SURNAME_INITIALS.iter().find(|(s, _)| *s == c) {
                    return Some(*l);
                }
            }
            c.to_pinyin().and_then(|p| p.first_letter().chars().next())
        })
        .collect()
}

/// The three-digit prefix of a village's card numbers (its code's last digits).
async fn card_prefix<C: ConnectionTrait>(conn: &C, v: VillageId) -> Result<String, AppError> {
    let vill = village::Entity::find_by_id(v.0)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let code = vill.code;
    Ok(code[code.len().saturating_sub(3)..].to_string())
}

async fn groups_of<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
) -> Result<Vec<village_group::Model>, AppError> {
    // A group merged into another is out of every picker and import.
    Ok(village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.0))
        .filter(village_group::Column::RetiredAt.is_null())
        .order_by_asc(village_group::Column::SortOrder)
        .order_by_asc(village_group::Column::Id)
        .all(conn)
        .await?)
}

fn group_views(groups: &[village_group::Model]) -> Vec<GroupView> {
    groups
        .iter()
        .map(|g| GroupView {
            id: GroupId(g.id),
            name: g.name.clone(),
        })
        .collect()
}

/// Card numbers in use with a prefix.
async fn cards_with_prefix<C: ConnectionTrait>(
    conn: &C,
    prefix: &str,
) -> Result<Vec<String>, AppError> {
    Ok(household::Entity::find()
        .select_only()
        .column(household::Column::CardNo)
        .filter(like::starts_with(household::Column::CardNo, prefix))
        .into_tuple()
        .all(conn)
        .await?)
}

/// The next free card number of a village.
async fn suggest_card<C: ConnectionTrait>(conn: &C, v: VillageId) -> Result<String, AppError> {
    let prefix = card_prefix(conn, v).await?;
    let cards = cards_with_prefix(conn, &prefix).await?;
    Ok(next_card_no(
        &prefix,
        cards.iter().map(String::as_str),
        &HashSet::new(),
    ))
}

/// A household of the village, or 404.
async fn household_in<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
    id: HouseholdId,
) -> Result<household::Model, AppError> {
    household::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .filter(|h| h.village_id == v.0)
        .ok_or_else(|| AppError::not_found("找不到该农户"))
}

fn ensure_office(caller: &Caller, v: VillageId) -> Result<(), AppError> {
    if caller.may_record_points(v) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// One page of a village's households matching a search (card number
/// prefix, pinyin initials, or part of the head's name or address).
pub async fn list(
    db: &Db,
    v: VillageId,
    q: &str,
    group: Option<GroupId>,
    status: HouseholdStatus,
    page: u32,
) -> Result<HouseholdList, AppError> {
    let q = q.trim();
    if q.chars().count() > 20 {
        return Err(AppError::invalid("查询内容过长"));
    }
    let groups = groups_of(&db.conn, v).await?;
    let mut find = household::Entity::find().filter(household::Column::VillageId.eq(v.0));
    find = match status {
        HouseholdStatus::Current => find.filter(household::Column::MovedAway.eq(false)),
        HouseholdStatus::NotResident => find
            .filter(household::Column::MovedAway.eq(false))
            .filter(household::Column::Resident.eq(false)),
        HouseholdStatus::NotAware => find
            .filter(household::Column::MovedAway.eq(false))
            .filter(household::Column::Aware.eq(false)),
        HouseholdStatus::MovedAway => find.filter(household::Column::MovedAway.eq(true)),
        HouseholdStatus::All => find,
    };
    if let Some(g) = group {
        find = find.filter(household::Column::GroupId.eq(g.0));
    }
    if !q.is_empty() {
        find = if q.chars().all(|c| c.is_ascii_digit()) {
            find.filter(like::starts_with(household::Column::CardNo, q))
        } else if q.chars().all(|c| c.is_ascii_alphanumeric()) {
            find.filter(like::starts_with(
                household::Column::HeadInitials,
                &q.to_ascii_lowercase(),
            ))
        } else {
            find.filter(
                Condition::any()
                    .add(like::contains(household::Column::HeadName, q))
                    .add(like::contains(household::Column::Address, q)),
            )
        };
    }
    let paginator = find
        .order_by_asc(household::Column::CardNo)
        .paginate(&db.conn, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1) as u32;
    let page = page.clamp(1, pages);
    let found = paginator.fetch_page(u64::from(page - 1)).await?;
    let counts: HashMap<i32, i64> = member::Entity::find()
        .select_only()
        .column(member::Column::HouseholdId)
        .column_as(Expr::col(member::Column::Id).count(), "n")
        .filter(member::Column::HouseholdId.is_in(found.iter().map(|h| h.id)))
        .group_by(member::Column::HouseholdId)
        .into_tuple::<(i32, i64)>()
        .all(&db.conn)
        .await?
        .into_iter()
        .collect();
    let names: HashMap<i32, &str> = groups.iter().map(|g| (g.id, g.name.as_str())).collect();
    let rows = found
        .into_iter()
        .map(|h| HouseholdRow {
            id: HouseholdId(h.id),
            group_name: names.get(&h.group_id).copied().unwrap_or_default().into(),
            members: counts.get(&h.id).copied().unwrap_or(0) as u32,
            card_no: h.card_no,
            head_name: h.head_name,
            address: h.address,
            resident: h.resident,
            aware: h.aware,
            moved_away: h.moved_away,
            balance: h.balance,
        })
        .collect();
    let in_village = || household::Entity::find().filter(household::Column::VillageId.eq(v.0));
    let current = || in_village().filter(household::Column::MovedAway.eq(false));
    let counts = HouseholdCounts {
        current: current().count(&db.conn).await?,
        resident: current()
            .filter(household::Column::Resident.eq(true))
            .count(&db.conn)
            .await?,
        resident_aware: current()
            .filter(household::Column::Resident.eq(true))
            .filter(household::Column::Aware.eq(true))
            .count(&db.conn)
            .await?,
        moved_away: in_village()
            .filter(household::Column::MovedAway.eq(true))
            .count(&db.conn)
            .await?,
    };
    Ok(HouseholdList {
        rows,
        total,
        page,
        pages,
        groups: group_views(&groups),
        counts,
    })
}

/// Whether a household has entries or redemptions.
async fn has_history<C: ConnectionTrait>(conn: &C, id: i32) -> Result<bool, AppError> {
    let entries = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::HouseholdId.eq(id))
        .count(conn)
        .await?;
    let redemptions = redemption::Entity::find()
        .filter(redemption::Column::HouseholdId.eq(id))
        .count(conn)
        .await?;
    let proposals = super::entities::proposal::Entity::find()
        .filter(super::entities::proposal::Column::HouseholdId.eq(id))
        .count(conn)
        .await?;
    Ok(entries + redemptions + proposals > 0)
}

async fn detail_in<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
    id: HouseholdId,
) -> Result<HouseholdDetail, AppError> {
    let h = household_in(conn, v, id).await?;
    let members = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(h.id))
        .filter(member::Column::IsHead.eq(false))
        .order_by_asc(member::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|m| MemberView {
            id: MemberId(m.id),
            name: m.name,
            relation: m.relation,
        })
        .collect();
    Ok(HouseholdDetail {
        id: HouseholdId(h.id),
        has_history: has_history(conn, h.id).await?,
        card_no: h.card_no,
        head_name: h.head_name,
        group: GroupId(h.group_id),
        address: h.address,
        resident: h.resident,
        aware: h.aware,
        moved_away: h.moved_away,
        balance: h.balance,
        members,
    })
}

/// One household of the village with its members.
pub async fn detail(db: &Db, v: VillageId, id: HouseholdId) -> Result<HouseholdDetail, AppError> {
    detail_in(&db.conn, v, id).await
}

/// The village's groups and its next free card number.
pub async fn defaults(db: &Db, v: VillageId) -> Result<NewHouseholdDefaults, AppError> {
    Ok(NewHouseholdDefaults {
        groups: group_views(&groups_of(&db.conn, v).await?),
        next_card_no: suggest_card(&db.conn, v).await?,
    })
}

/// The checked fields of a household form.
struct Checked {
    group: village_group::Model,
    head_name: String,
    address: String,
    members: Vec<(Option<MemberId>, MemberInput)>,
}

async fn check_form<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
    form: &HouseholdForm,
) -> Result<Checked, AppError> {
    let head_name = check_name(&form.head_name, "户主姓名")?;
    let address = check_address(&form.address)?;
    let inputs: Vec<MemberInput> = form
        .members
        .iter()
        .map(|m| MemberInput {
            name: m.name.clone(),
            relation: m.relation.clone(),
        })
        .collect();
    let members = check_members(&inputs)?;
    let group = village_group::Entity::find_by_id(form.group.0)
        .one(conn)
        .await?
        .filter(|g| g.village_id == v.0 && g.retired_at.is_none())
        .ok_or_else(|| AppError::invalid("请选择本村的组别"))?;
    Ok(Checked {
        group,
        head_name,
        address,
        members: form.members.iter().map(|m| m.id).zip(members).collect(),
    })
}

fn member_row(household: i32, name: String, relation: String, head: bool) -> member::ActiveModel {
    member::ActiveModel {
        household_id: Set(household),
        name: Set(name),
        relation: Set(relation),
        is_head: Set(head),
        ..Default::default()
    }
}

/// Creates a household, its head as a member and the other members. A blank
/// card number gets the village's next free one.
pub async fn create(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    form: HouseholdForm,
    now: DateTime<Utc>,
) -> Result<HouseholdDetail, AppError> {
    ensure_office(caller, v)?;
    let txn = db.write().await?;
    let c = check_form(&*txn, v, &form).await?;
    let card_no = if form.card_no.trim().is_empty() {
        suggest_card(&*txn, v).await?
    } else {
        check_card_no(&form.card_no)?
    };
    let taken = household::Entity::find()
        .filter(household::Column::CardNo.eq(&card_no))
        .count(&*txn)
        .await?;
    if taken > 0 {
        return Err(AppError::Conflict(format!("户卡号 {card_no} 已被使用")));
    }
    let h = household::ActiveModel {
        village_id: Set(v.0),
        group_id: Set(c.group.id),
        card_no: Set(card_no.clone()),
        head_initials: Set(head_initials(&c.head_name)),
        head_name: Set(c.head_name.clone()),
        address: Set(c.address),
        resident: Set(form.resident),
        aware: Set(form.aware),
        moved_away: Set(false),
        balance: Set(0),
        earned_total: Set(0),
        redeemed_total: Set(0),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&*txn)
    .await?;
    let mut rows = vec![member_row(h.id, c.head_name.clone(), "户主".into(), true)];
    rows.extend(
        c.members
            .into_iter()
            .map(|(_, m)| member_row(h.id, m.name, m.relation, false)),
    );
    let n = rows.len();
    member::Entity::insert_many(rows).exec(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "create_household",
        "household",
        Some(h.id),
        format!(
            "card {card_no} head {} group {} members {n}",
            c.head_name, c.group.name
        ),
        now,
    )
    .await?;
    let out = detail_in(&*txn, v, HouseholdId(h.id)).await?;
    txn.commit().await?;
    Ok(out)
}

/// Edits a household: head's name (and its initials), group, address,
/// flags, and members. The card number stays as printed. A member who has
/// ledger entries is not removed.
pub async fn update(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    id: HouseholdId,
    form: HouseholdForm,
    now: DateTime<Utc>,
) -> Result<HouseholdDetail, AppError> {
    ensure_office(caller, v)?;
    let txn = db.write().await?;
    let h = household_in(&*txn, v, id).await?;
    let c = check_form(&*txn, v, &form).await?;
    let mut changes = Vec::new();
    if h.head_name != c.head_name {
        changes.push(format!("head {} -> {}", h.head_name, c.head_name));
    }
    if h.group_id != c.group.id {
        changes.push(format!("group {} -> {}", h.group_id, c.group.id));
    }
    if h.address != c.address {
        changes.push("address".to_string());
    }
    if h.resident != form.resident {
        changes.push(format!("resident {}", form.resident));
    }
    if h.aware != form.aware {
        changes.push(format!("aware {}", form.aware));
    }
    let mut am: household::ActiveModel = h.clone().into();
    am.head_initials = Set(head_initials(&c.head_name));
    am.head_name = Set(c.head_name.clone());
    am.group_id = Set(c.group.id);
    am.address = Set(c.address.clone());
    am.resident = Set(form.resident);
    am.aware = Set(form.aware);
    am.update(&*txn).await?;

    // The head's member row follows the head's name.
    let stored = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(h.id))
        .all(&*txn)
        .await?;
    match stored.iter().find(|m| m.is_head) {
        Some(head) if head.name != c.head_name => {
            let mut m: member::ActiveModel = head.clone().into();
            m.name = Set(c.head_name.clone());
            m.update(&*txn).await?;
        }
        Some(_) => {}
        None => {
            member_row(h.id, c.head_name.clone(), "户主".into(), true)
                .insert(&*txn)
                .await?;
        }
    }
    let others: HashMap<i32, &member::Model> = stored
        .iter()
        .filter(|m| !m.is_head)
        .map(|m| (m.id, m))
        .collect();
    let mut kept = HashSet::new();
    for (mid, m) in c.members {
        match mid {
            Some(mid) => {
                let old = others
                    .get(&mid.0)
                    .ok_or_else(|| AppError::invalid("成员不属于该户，请刷新后重试"))?;
                kept.insert(mid.0);
                if old.name != m.name || old.relation != m.relation {
                    let mut am: member::ActiveModel = (*old).clone().into();
                    am.name = Set(m.name);
                    am.relation = Set(m.relation);
                    am.update(&*txn).await?;
                    changes.push(format!("member {} edited", mid.0));
                }
            }
            None => {
                let new = member_row(h.id, m.name, m.relation, false)
                    .insert(&*txn)
                    .await?;
                changes.push(format!("member {} added", new.id));
            }
        }
    }
    for (mid, m) in &others {
        if kept.contains(mid) {
            continue;
        }
        // Through the household index: member_id has none of its own.
        let used = ledger_entry::Entity::find()
            .filter(ledger_entry::Column::HouseholdId.eq(h.id))
            .filter(ledger_entry::Column::MemberId.eq(*mid))
            .count(&*txn)
            .await?;
        if used > 0 {
            return Err(AppError::Conflict(format!(
                "成员 {} 已有积分记录，不能删除",
                m.name
            )));
        }
        member::Entity::delete_by_id(*mid).exec(&*txn).await?;
        changes.push(format!("member {mid} removed"));
    }
    audit::record(
        &*txn,
        Some(caller.user),
        "update_household",
        "household",
        Some(h.id),
        if changes.is_empty() {
            "no change".into()
        } else {
            changes.join("; ")
        },
        now,
    )
    .await?;
    let out = detail_in(&*txn, v, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Marks a household as moved away (迁出), or back as living in the village.
/// Its history stays; a moved-away household gets no new entries.
pub async fn set_moved_away(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    id: HouseholdId,
    moved_away: bool,
    now: DateTime<Utc>,
) -> Result<HouseholdDetail, AppError> {
    ensure_office(caller, v)?;
    let txn = db.write().await?;
    let h = household_in(&*txn, v, id).await?;
    if h.moved_away != moved_away {
        let mut am: household::ActiveModel = h.clone().into();
        am.moved_away = Set(moved_away);
        am.moved_away_month =
            Set(moved_away.then(|| domain::time::month_key(domain::time::china_date(now))));
        am.update(&*txn).await?;
        if moved_away {
            // A household that left signs in no more: end its sessions.
            for acc in user_account::Entity::find()
                .filter(user_account::Column::HouseholdId.eq(h.id))
                .all(&*txn)
                .await?
            {
                super::auth::end_sessions(&*txn, domain::UserId(acc.id)).await?;
            }
        }
        audit::record(
            &*txn,
            Some(caller.user),
            if moved_away {
                "household_moved_away"
            } else {
                "household_moved_back"
            },
            "household",
            Some(h.id),
            format!("card {}", h.card_no),
            now,
        )
        .await?;
    }
    let out = detail_in(&*txn, v, id).await?;
    txn.commit().await?;
    Ok(out)
}

/// Deletes a household entered by mistake. One with ledger entries,
/// redemptions or a login account is never deleted: mark it moved away.
pub async fn delete(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    id: HouseholdId,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    ensure_office(caller, v)?;
    let txn = db.write().await?;
    let h = household_in(&*txn, v, id).await?;
    let accounts = user_account::Entity::find()
        .filter(user_account::Column::HouseholdId.eq(h.id))
        .count(&*txn)
        .await?;
    if has_history(&*txn, h.id).await? || accounts > 0 {
        return Err(AppError::Conflict(
            "该户已有积分或兑换记录，不能删除；如已搬离，请标记为“已迁出”".into(),
        ));
    }
    household_month::Entity::delete_many()
        .filter(household_month::Column::HouseholdId.eq(h.id))
        .exec(&*txn)
        .await?;
    member::Entity::delete_many()
        .filter(member::Column::HouseholdId.eq(h.id))
        .exec(&*txn)
        .await?;
    household::Entity::delete_by_id(h.id).exec(&*txn).await?;
    audit::record(
        &*txn,
        Some(caller.user),
        "delete_household",
        "household",
        Some(h.id),
        format!("card {} head {}", h.card_no, h.head_name),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A spreadsheet cell as text; whole numbers lose their `.0` (card numbers
/// typed as numbers in Excel).
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Int(i) => i.to_string(),
        Data::Bool(true) => "是".into(),
        Data::Bool(false) => "否".into(),
        other => other.to_string(),
    }
}

/// Reads the cells of an import file: the first sheet of an .xlsx, or a CSV
/// in UTF-8 (with or without BOM) or GBK/GB18030 as saved by Excel on
/// Chinese Windows. Rows are numbered from the sheet's first row, as Excel
/// shows them; a file with content beyond [`MAX_IMPORT_SHEET_ROWS`] rows or
/// [`MAX_IMPORT_COLUMNS`] columns is refused before any grid is built.
pub fn read_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx_rows(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(AppError::invalid(
            "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV",
        ));
    }
    let text = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => String::from_utf8_lossy(rest).into_owned(),
        None => match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => {
                let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                if had_errors {
                    return Err(AppError::invalid(
                        "无法识别文件编码，请使用 .xlsx 或 UTF-8 / GBK 编码的 CSV",
                    ));
                }
                s.into_owned()
            }
        },
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let rec = record.map_err(|_| AppError::invalid("CSV 文件格式有误，请使用下载的模板"))?;
        // Trailing empty fields (a row of commas) are not content.
        let used = rec
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.trim().is_empty())
            .last()
            .map_or(0, |(i, _)| i + 1);
        check_cell_position(i, used.saturating_sub(1))?;
        rows.push(rec.iter().take(used).map(str::to_string).collect());
    }
    Ok(rows)
}

/// Most cell records read from one sheet, empty ones included: reading is
/// streamed, and this bounds its time on a sheet of repeated records.
const MAX_SHEET_CELLS: usize = 2 * MAX_IMPORT_SHEET_ROWS * MAX_IMPORT_COLUMNS;

/// The first sheet of an .xlsx as rows of text. Cells are read one by one
/// and each position checked before it is kept: calamine's ranges allocate
/// the whole bounding box of the cells, 512 GiB for a sheet with cells at A1
/// and XFD1048576.
fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|_| AppError::invalid("无法读取该 Excel 文件，请确认是 .xlsx 格式"))?;
    let sheet = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| AppError::invalid("Excel 文件中没有工作表"))?;
    let unreadable = |_| AppError::invalid("无法读取 Excel 的第一个工作表");
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let mut kept: Vec<(usize, usize, String)> = Vec::new();
    let mut records = 0usize;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        records += 1;
        if records > MAX_SHEET_CELLS {
            return Err(AppError::invalid(format!(
                "表格太大：导入文件最多 {MAX_IMPORT_SHEET_ROWS} 行、{MAX_IMPORT_COLUMNS} 列，请只保留农户数据后重新上传"
            )));
        }
        let text = cell_text(&calamine::Data::from(cell.get_value().clone()));
        // Formatted but empty cells far away are common and harmless.
        if text.trim().is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        let (row, col) = (row as usize, col as usize);
        check_cell_position(row, col)?;
        kept.push((row, col, text));
    }
    let height = kept.iter().map(|c| c.0 + 1).max().unwrap_or(0);
    let mut rows = vec![Vec::new(); height];
    for (row, col, text) in kept {
        let r: &mut Vec<String> = &mut rows[row];
        if r.len() <= col {
            r.resize(col + 1, String::new());
        }
        r[col] = text;
    }
    Ok(rows)
}

/// [`read_rows`] off the async threads: parsing a sheet is CPU work.
pub async fn read_rows_blocking(bytes: Vec<u8>) -> Result<Vec<Vec<String>>, AppError> {
    tokio::task::spawn_blocking(move || read_rows(&bytes))
        .await
        .map_err(|e| {
            tracing::error!("import file task failed: {e}");
            AppError::Internal
        })?
}

/// Plans an import against the database as `conn` sees it.
async fn plan_in<C: ConnectionTrait>(
    conn: &C,
    v: VillageId,
    rows: &[Vec<String>],
) -> Result<(ImportPlan, Vec<village_group::Model>), AppError> {
    let groups = groups_of(conn, v).await?;
    let group_names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let prefix = card_prefix(conn, v).await?;
    let existing: HashSet<String> = household::Entity::find()
        .select_only()
        .column(household::Column::CardNo)
        .into_tuple::<String>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let plan = plan_import(
        rows,
        &ImportContext {
            group_names: &group_names,
            card_prefix: &prefix,
            existing_cards: &existing,
        },
    )?;
    Ok((plan, groups))
}

/// What importing a file would do; writes nothing.
pub async fn preview_import(db: &Db, v: VillageId, bytes: &[u8]) -> Result<ImportPlan, AppError> {
    let rows = read_rows_blocking(bytes.to_vec()).await?;
    Ok(plan_in(&db.conn, v, &rows).await?.0)
}

/// Rows per multi-row insert (well under SQLite's bound-variable limit).
const CHUNK: usize = 500;

/// Imports a file: checks it again inside the write transaction and writes
/// every household with its members, or nothing if any row has a problem.
pub async fn import(
    db: &Db,
    caller: &Caller,
    v: VillageId,
    file_name: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<ImportDone, AppError> {
    ensure_office(caller, v)?;
    let started = std::time::Instant::now();
    // The file is parsed before the write lock is taken: other writers do
    // not wait for a spreadsheet.
    let rows = read_rows_blocking(bytes.to_vec()).await?;
    let txn = db.write().await?;
    let (plan, groups) = plan_in(&*txn, v, &rows).await?;
    if let Some(first) = plan.problems.first() {
        return Err(AppError::Invalid(format!(
            "有 {} 行不能导入（第 {} 行：{}），请改正后重新上传；本次未导入任何农户",
            plan.problems.len(),
            first.line,
            first.problems.join("；")
        )));
    }
    let group_ids: HashMap<&str, i32> = groups.iter().map(|g| (g.name.as_str(), g.id)).collect();
    for chunk in plan.households.chunks(CHUNK) {
        let rows = chunk.iter().map(|p| household::ActiveModel {
            village_id: Set(v.0),
            group_id: Set(group_ids[p.group.as_str()]),
            card_no: Set(p.card_no.clone()),
            head_initials: Set(head_initials(&p.head_name)),
            head_name: Set(p.head_name.clone()),
            address: Set(p.address.clone()),
            resident: Set(p.resident),
            aware: Set(p.aware),
            moved_away: Set(false),
            balance: Set(0),
            earned_total: Set(0),
            redeemed_total: Set(0),
            created_at: Set(now),
            ..Default::default()
        });
        household::Entity::insert_many(rows).exec(&*txn).await?;
        let ids: HashMap<String, i32> = household::Entity::find()
            .select_only()
            .column(household::Column::CardNo)
            .column(household::Column::Id)
            .filter(household::Column::CardNo.is_in(chunk.iter().map(|p| p.card_no.clone())))
            .into_tuple::<(String, i32)>()
            .all(&*txn)
            .await?
            .into_iter()
            .collect();
        let mut members = Vec::new();
        let mut audits = Vec::new();
        for p in chunk {
            let id = ids[&p.card_no];
            members.push(member_row(id, p.head_name.clone(), "户主".into(), true));
            members.extend(
                p.members
                    .iter()
                    .map(|m| member_row(id, m.name.clone(), m.relation.clone(), false)),
            );
            audits.push(audit_log::ActiveModel {
                user_id: Set(Some(caller.user.0)),
                action: Set("import_household".into()),
                target_table: Set("household".into()),
                target_id: Set(Some(id)),
                detail: Set(format!("card {} line {} of {file_name}", p.card_no, p.line)),
                at: Set(now),
                ..Default::default()
            });
        }
        for m in members.chunks(CHUNK * 2) {
            member::Entity::insert_many(m.to_vec()).exec(&*txn).await?;
        }
        audit_log::Entity::insert_many(audits).exec(&*txn).await?;
    }
    let created = plan.households.len();
    let first_card = plan.households.first().map(|h| h.card_no.clone());
    let last_card = plan.households.last().map(|h| h.card_no.clone());
    audit::record(
        &*txn,
        Some(caller.user),
        "import_households",
        "household",
        None,
        format!("{created} households from {file_name}"),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(ImportDone {
        created,
        first_card: first_card.unwrap_or_default(),
        last_card: last_card.unwrap_or_default(),
        millis: started.elapsed().as_millis() as u64,
    })
}

/// The import template: a UTF-8 CSV with BOM (so Excel shows the Chinese)
/// and an .xlsx with the card column as text, both with two example rows.
pub fn templates() -> Result<ImportTemplates, AppError> {
    let mut csv = String::from("\u{feff}");
    for line in std::iter::once(TEMPLATE_COLUMNS).chain(TEMPLATE_EXAMPLES) {
        csv.push_str(&line.join(","));
        csv.push_str("\r\n");
    }
    let xlsx = template_xlsx().map_err(|e| {
        tracing::error!(error = %e, "xlsx template");
        AppError::Internal
    })?;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(ImportTemplates {
        csv_base64: b64.encode(csv.as_bytes()),
        xlsx_base64: b64.encode(xlsx),
    })
}

fn template_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("农户")?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let widths = [10.0, 12.0, 14.0, 28.0, 36.0, 10.0, 10.0];
    for (col, (name, width)) in TEMPLATE_COLUMNS.iter().zip(widths).enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, *name, &bold)?;
    }
    sheet.set_column_format(2, &text)?;
    for (r, row) in TEMPLATE_EXAMPLES.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *value)?;
        }
    }
    book.save_to_buffer()
}

/// The QR code of a card number as an SVG element.
pub fn card_qr_svg(card_no: &str) -> Result<String, AppError> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(card_no.as_bytes(), qrcode::EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(120, 120)
        .quiet_zone(true)
        .build();
    // Drop the XML declaration: the SVG is placed inside HTML.
    Ok(match image.find("<svg") {
        Some(i) => image[i..].to_string(),
        None => image,
    })
}

/// Cards of the village's current households (optionally one group), in
/// card-number order, each with the QR code of its card number.
pub async fn cards(
    db: &Db,
    v: VillageId,
    group: Option<GroupId>,
) -> Result<Vec<HouseholdCard>, AppError> {
    let vill = village::Entity::find_by_id(v.0)
        .one(&db.conn)
        .await?
        .ok_or_else(|| AppError::not_found("找不到该村（社区）"))?;
    let groups: HashMap<i32, String> = groups_of(&db.conn, v)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut find = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.0))
        .filter(household::Column::MovedAway.eq(false));
    if let Some(g) = group {
        find = find.filter(household::Column::GroupId.eq(g.0));
    }
    find.order_by_asc(household::Column::CardNo)
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|h| {
            Ok(HouseholdCard {
                village_name: vill.name.clone(),
                group_name: groups.get(&h.group_id).cloned().unwrap_or_default(),
                qr_svg: card_qr_svg(&h.card_no)?,
                head_name: h.head_name,
                card_no: h.card_no,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_use_name_readings() {
        assert_eq!(head_initials("张三"), "zs");
        assert_eq!(head_initials("曾国华"), "zgh");
        assert_eq!(head_initials("谭 Li 2"), "tli2");
    }

    #[test]
    fn csv_is_read_in_utf8_with_bom_and_gbk() {
        let text = "组别,户主姓名\r\n一组,张三\r\n";
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for bytes in [text.as_bytes().to_vec(), bom, gbk.into_owned()] {
            let rows = read_rows(&bytes).unwrap();
            assert_eq!(rows[0], vec!["组别", "户主姓名"]);
            assert_eq!(rows[1], vec!["一组", "张三"]);
        }
    }

    #[test]
    fn the_xlsx_template_reads_back() {
        let t = templates().unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        let rows = read_rows(&b64.decode(t.xlsx_base64).unwrap()).unwrap();
        assert_eq!(rows[0], TEMPLATE_COLUMNS.map(String::from).to_vec());
        assert_eq!(rows[1][1], "张三（示例）");
        let rows = read_rows(&b64.decode(t.csv_base64).unwrap()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0], "组别");
    }

    #[test]
    fn qr_codes_are_svg() {
        let svg = card_qr_svg("2000001").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
    }
}
