//! Households (户籍管理): service tests of the edits and the import on a real
//! SQLite file with the real migrations, and HTTP permission checks.

use crate::common;

use std::time::Instant;

use app::api::households::{HouseholdForm, HouseholdStatus, MemberForm};
use app::domain::{GroupId, HouseholdId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::households as hh;
use app::server::Db;
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

async fn counts(db: &Db) -> (u64, u64, u64) {
    (
        household::Entity::find().count(&db.conn).await.unwrap(),
        member::Entity::find().count(&db.conn).await.unwrap(),
        audit_log::Entity::find().count(&db.conn).await.unwrap(),
    )
}

async fn groups(db: &Db, village_id: i32) -> Vec<village_group::Model> {
    village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(village_id))
        .order_by_asc(village_group::Column::SortOrder)
        .all(&db.conn)
        .await
        .unwrap()
}

fn form(group: i32, head: &str, card: &str, members: Vec<MemberForm>) -> HouseholdForm {
    HouseholdForm {
        group: GroupId(group),
        head_name: head.into(),
        card_no: card.into(),
        address: "高梁镇沙坝村一组8号".into(),
        resident: true,
        aware: false,
        members,
    }
}

fn new_member(name: &str, relation: &str) -> MemberForm {
    MemberForm {
        id: None,
        name: name.into(),
        relation: relation.into(),
    }
}

/// A CSV import file with a header and the given data lines.
fn csv_file(lines: &[String]) -> Vec<u8> {
    let mut s = String::from("\u{feff}组别,户主姓名,户卡号,地址,家庭成员,是否常住,是否知晓\r\n");
    for l in lines {
        s.push_str(l);
        s.push_str("\r\n");
    }
    s.into_bytes()
}

#[tokio::test]
async fn a_file_with_bad_rows_writes_nothing() {
    let db = small_town("hh-import-bad").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let admin = caller(&db, "cun200").await;
    let taken = first_household(&db, v.id).await.card_no;
    let g = &groups(&db, v.id).await[0].name;
    let mut lines: Vec<String> = (0..50)
        .map(|i| format!("{g},好户{i},,{g}{i}号,,是,是"))
        .collect();
    lines.push(format!("{g},,,,,是,是")); // line 52: no head's name
    lines.push(format!("{g},重卡户,{taken},,,是,是")); // line 53: card in use
    lines.push("九十九组,无组户,,,,是,是".into()); // line 54: unknown group
    let file = csv_file(&lines);
    let before = counts(&db).await;

    let plan = hh::preview_import(&db, vid, &file).await.unwrap();
    assert_eq!(plan.households.len(), 50);
    let bad: Vec<usize> = plan.problems.iter().map(|p| p.line).collect();
    assert_eq!(bad, vec![52, 53, 54]);
    assert_eq!(plan.problems[0].problems, vec!["请填写户主姓名"]);
    assert_eq!(
        plan.problems[1].problems,
        vec![format!("户卡号 {taken} 已被使用")]
    );
    assert_eq!(plan.problems[2].problems, vec!["本村没有“九十九组”"]);

    let err = hh::import(&db, &admin, vid, "bad.csv", &file, Utc::now())
        .await
        .unwrap_err();
    match err {
        AppError::Invalid(m) => {
            assert!(m.contains("有 3 行不能导入"), "{m}");
            assert!(m.contains("第 52 行"), "{m}");
            assert!(m.contains("未导入任何农户"), "{m}");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    assert_eq!(counts(&db).await, before, "nothing written");

    // A file that is not a spreadsheet at all is refused clearly.
    let err = hh::import(
        &db,
        &admin,
        vid,
        "x.csv",
        "姓名\n张三\n".as_bytes(),
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Invalid(m) if m.contains("表头")));
    assert_eq!(counts(&db).await, before);
}

#[tokio::test]
async fn a_good_5000_row_file_writes_every_household() {
    let db = small_town("hh-import-5000").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let admin = caller(&db, "cun200").await;
    let gs = groups(&db, v.id).await;
    // Every third row names its card; others are numbered by the import.
    // Group names are written the ways clerks write them (1, 1组, 第一组).
    let lines: Vec<String> = (0..5000)
        .map(|i| {
            let g = i % gs.len() + 1;
            let group = match i % 3 {
                0 => format!("{g}"),
                1 => format!("{g}组"),
                _ => gs[g - 1].name.clone(),
            };
            let card = if i % 3 == 0 {
                format!("20090{i:04}")
            } else {
                String::new()
            };
            format!("{group},张三{i},{card},{group}{i}号,李四{i}（配偶）、张小{i}（儿子）,是,否")
        })
        .collect();
    let file = csv_file(&lines);
    let (h0, m0, a0) = counts(&db).await;

    let started = Instant::now();
    let plan = hh::preview_import(&db, vid, &file).await.unwrap();
    let preview_ms = started.elapsed().as_millis();
    assert!(plan.problems.is_empty(), "{:?}", &plan.problems[..3]);
    let started = Instant::now();
    let done = hh::import(&db, &admin, vid, "big.csv", &file, Utc::now())
        .await
        .unwrap();
    let import_ms = started.elapsed().as_millis();
    println!("5000 rows: preview {preview_ms} ms, import {import_ms} ms");
    assert_eq!(done.created, 5000);
    assert!(import_ms < 20_000, "import took {import_ms} ms");

    let (h1, m1, a1) = counts(&db).await;
    assert_eq!(h1 - h0, 5000);
    assert_eq!(m1 - m0, 15000, "head plus two members each");
    assert_eq!(
        a1 - a0,
        5001,
        "one audit row per household and one for the file"
    );
    let imported = household::Entity::find()
        .filter(household::Column::VillageId.eq(v.id))
        .filter(household::Column::HeadName.starts_with("张三"))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(imported.len(), 5000);
    let named = imported.iter().find(|h| h.head_name == "张三0").unwrap();
    assert_eq!(named.card_no, "200900000");
    assert_eq!(named.head_initials, "zs0");
    assert!(named.resident && !named.aware);
    let generated = imported.iter().find(|h| h.head_name == "张三1").unwrap();
    assert!(generated.card_no.starts_with("200") && generated.card_no.len() >= 7);
    // Group names written as digits landed in the right group.
    let g2 = imported.iter().find(|h| h.head_name == "张三1").unwrap();
    assert_eq!(g2.group_id, gs[1 % gs.len()].id);
    // Searchable by pinyin initials.
    let list = hh::list(&db, vid, "zs", None, HouseholdStatus::Current, 1)
        .await
        .unwrap();
    assert!(list.total >= 5000, "{}", list.total);
    // Importing the same file again is refused: every named card is now taken.
    let again = hh::preview_import(&db, vid, &file).await.unwrap();
    assert_eq!(again.problems.len(), 1667);
}

#[tokio::test]
async fn the_templates_read_back_but_their_example_rows_are_never_imported() {
    let db = small_town("hh-template").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let t = hh::templates().unwrap();
    let decode =
        |b: &str| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).unwrap();
    // The Excel template as downloaded holds only its examples: refused, and
    // nothing is written.
    let before = household::Entity::find().count(&db.conn).await.unwrap();
    let err = hh::import(
        &db,
        &admin,
        VillageId(v.id),
        "模板.xlsx",
        &decode(&t.xlsx_base64),
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("示例"), "{err}");
    assert_eq!(
        household::Entity::find().count(&db.conn).await.unwrap(),
        before
    );
    // A clerk types one household below the CSV template's examples: only
    // that household is planned and imported, the examples are named.
    let mut csv = decode(&t.csv_base64);
    csv.extend_from_slice("一组,刘大山,,一组8号,刘小山（儿子）,是,是\r\n".as_bytes());
    let plan = hh::preview_import(&db, VillageId(v.id), &csv)
        .await
        .unwrap();
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);
    assert_eq!(plan.skipped_examples, vec![2, 3]);
    assert_eq!(plan.households.len(), 1);
    assert_eq!(plan.households[0].head_name, "刘大山");
    let done = hh::import(&db, &admin, VillageId(v.id), "模板.csv", &csv, Utc::now())
        .await
        .unwrap();
    assert_eq!(done.created, 1);
    let h = household::Entity::find()
        .filter(household::Column::CardNo.eq(done.first_card.clone()))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(h.head_name, "刘大山");
    let members = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(h.id))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(members, 2);
    let examples = household::Entity::find()
        .filter(household::Column::HeadName.contains("示例"))
        .count(&db.conn)
        .await
        .unwrap();
    assert_eq!(examples, 0);
}

#[tokio::test]
async fn households_are_created_edited_moved_and_kept() {
    let db = small_town("hh-edits").await;
    let v = village(&db, "200").await;
    let vid = VillageId(v.id);
    let admin = caller(&db, "cun200").await;
    let gs = groups(&db, v.id).await;
    let now = Utc::now();

    // Create with a blank card: the next free number of the village.
    let suggested = hh::defaults(&db, vid).await.unwrap().next_card_no;
    let a0 = counts(&db).await.2;
    let created = hh::create(
        &db,
        &admin,
        vid,
        form(gs[0].id, " 张 三 ", "", vec![new_member("李四", "配偶")]),
        now,
    )
    .await
    .unwrap();
    assert_eq!(created.card_no, suggested);
    assert_eq!(created.head_name, "张三");
    assert_eq!(created.members.len(), 1);
    assert!(!created.has_history);
    assert_eq!(counts(&db).await.2, a0 + 1, "audited");
    let row = reload(&db, created.id.0).await;
    assert_eq!(row.head_initials, "zs");
    assert_ne!(
        hh::defaults(&db, vid).await.unwrap().next_card_no,
        suggested
    );

    // A card number in use is refused; so are a blank name and another
    // village's group; nothing is written.
    let before = counts(&db).await;
    let err = hh::create(
        &db,
        &admin,
        vid,
        form(gs[0].id, "王五", &suggested, vec![]),
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(
        err,
        AppError::Conflict(format!("户卡号 {suggested} 已被使用"))
    );
    let err = hh::create(&db, &admin, vid, form(gs[0].id, "  ", "", vec![]), now)
        .await
        .unwrap_err();
    assert_eq!(err, AppError::invalid("请填写户主姓名"));
    let other = village(&db, "201").await;
    let other_group = groups(&db, other.id).await[0].id;
    let err = hh::create(&db, &admin, vid, form(other_group, "王五", "", vec![]), now)
        .await
        .unwrap_err();
    assert_eq!(err, AppError::invalid("请选择本村的组别"));
    assert_eq!(counts(&db).await, before);

    // Edit: new head's name (initials follow), another group, flags, members
    // edited, added and removed.
    let mut f = form(gs[1].id, "谢明", "", vec![]);
    f.aware = true;
    f.resident = false;
    f.members = vec![
        MemberForm {
            id: Some(created.members[0].id),
            name: "李四".into(),
            relation: "妻子".into(),
        },
        new_member("谢小明", "儿子"),
    ];
    let edited = hh::update(&db, &admin, vid, created.id, f.clone(), now)
        .await
        .unwrap();
    assert_eq!(edited.card_no, created.card_no, "the card number stays");
    assert_eq!(edited.group, GroupId(gs[1].id));
    assert_eq!(edited.members.len(), 2);
    assert_eq!(edited.members[0].relation, "妻子");
    let row = reload(&db, created.id.0).await;
    assert_eq!(
        (row.head_name.as_str(), row.head_initials.as_str()),
        ("谢明", "xm")
    );
    assert!(row.aware && !row.resident);
    let head = member::Entity::find()
        .filter(member::Column::HouseholdId.eq(row.id))
        .filter(member::Column::IsHead.eq(true))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(head.name, "谢明", "the head's member row follows");
    f.members.remove(0);
    f.members[0].id = Some(edited.members[1].id);
    let edited = hh::update(&db, &admin, vid, created.id, f, now)
        .await
        .unwrap();
    assert_eq!(edited.members.len(), 1);
    assert_eq!(edited.members[0].name, "谢小明");

    // The list finds it by initials, and by group.
    let list = hh::list(
        &db,
        vid,
        "xm",
        Some(GroupId(gs[1].id)),
        HouseholdStatus::Current,
        1,
    )
    .await
    .unwrap();
    assert!(list
        .rows
        .iter()
        .any(|r| r.id == created.id && r.members == 2));

    // Moved away: out of the current list and of point entry; back again.
    let moved = hh::set_moved_away(&db, &admin, vid, created.id, true, now)
        .await
        .unwrap();
    assert!(moved.moved_away);
    let list = hh::list(
        &db,
        vid,
        &created.card_no,
        None,
        HouseholdStatus::Current,
        1,
    )
    .await
    .unwrap();
    assert_eq!(list.total, 0);
    let list = hh::list(
        &db,
        vid,
        &created.card_no,
        None,
        HouseholdStatus::MovedAway,
        1,
    )
    .await
    .unwrap();
    assert_eq!(list.total, 1);
    hh::set_moved_away(&db, &admin, vid, created.id, false, now)
        .await
        .unwrap();

    // A household with entries is never deleted; a fresh one may be.
    let old = funded_household(&db, v.id, "2008001", 5).await;
    let err = hh::delete(&db, &admin, vid, HouseholdId(old.id), now)
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(m) if m.contains("已迁出")));
    assert!(
        hh::detail(&db, vid, HouseholdId(old.id))
            .await
            .unwrap()
            .has_history
    );
    hh::delete(&db, &admin, vid, created.id, now).await.unwrap();
    assert!(household::Entity::find_by_id(created.id.0)
        .one(&db.conn)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn village_admins_act_only_on_their_own_village() {
    let db = small_town("hh-scope").await;
    let own = village(&db, "200").await;
    let other = village(&db, "201").await;
    let other_hh = first_household(&db, other.id).await;
    let admin = caller(&db, "cun200").await;
    let town = caller(&db, "admin").await;
    let before = counts(&db).await;

    // The service refuses another village outright…
    let err = hh::set_moved_away(
        &db,
        &admin,
        VillageId(other.id),
        HouseholdId(other_hh.id),
        true,
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Forbidden);
    // …and does not find another village's household through one's own.
    let err = hh::set_moved_away(
        &db,
        &admin,
        VillageId(own.id),
        HouseholdId(other_hh.id),
        true,
        Utc::now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::NotFound(_)));
    assert_eq!(counts(&db).await, before);
    assert!(!reload(&db, other_hh.id).await.moved_away);

    // The town admin may act on any village.
    let d = hh::set_moved_away(
        &db,
        &town,
        VillageId(other.id),
        HouseholdId(other_hh.id),
        true,
        Utc::now(),
    )
    .await
    .unwrap();
    assert!(d.moved_away);
}

mod http_level {
    use super::*;

    use http::{Method, StatusCode};

    #[tokio::test]
    async fn another_villages_admin_gets_403() {
        let db = small_town("hh-http").await;
        let app = app_router(&db);
        let v = village(&db, "200").await;
        let list = format!("/api/hh_list?village={}&q=&status=Current&page=1", v.id);

        let Reply { status, .. } = send(
            &app,
            request(Method::GET, &list, "text/plain", String::new(), None),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let own = login(&app, "cun200").await;
        let Reply { status, body, .. } = send(
            &app,
            request(Method::GET, &list, "text/plain", String::new(), Some(&own)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let stranger = login(&app, "cun201").await;
        let Reply { status, body, .. } = send(
            &app,
            request(
                Method::GET,
                &list,
                "text/plain",
                String::new(),
                Some(&stranger),
            ),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

        // A write for another village is refused and writes nothing.
        let before = counts(&db).await;
        let file = csv_file(&["一组,越权户,,,,是,是".to_string()]);
        let village_id = v.id.to_string();
        let import = |cookie| {
            post_multipart(
                "/api/hh_import_commit",
                &[("village", &village_id)],
                Some(("file", "x.csv", &file)),
                Some(cookie),
            )
        };
        let Reply { status, .. } = send(&app, import(&stranger)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(counts(&db).await, before);
        let Reply {
            status, body: text, ..
        } = send(&app, import(&own)).await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(counts(&db).await.0, before.0 + 1);
    }
}
