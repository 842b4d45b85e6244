//! The villager's own pages on a real SQLite file: signing in by card
//! number or phone with a PIN the clerk sets, the household's home, a
//! declaration through review to an entry, an appeal on its entry, and the
//! clerk acting for a household without a phone (assisted).

use crate::common;

use app::domain::appeal::AppealStatus;
use app::domain::{HouseholdId, ProposalId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::review::{self, NewProposal};
use app::server::{appeal, auth, villager};
use chrono::Utc;
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[tokio::test]
async fn the_clerk_sets_a_pin_and_the_household_signs_in_by_card_or_phone() {
    let db = small_town("villager-login").await;
    let clerk = caller(&db, "cun200").await;
    let v = clerk.village.unwrap();
    let hh = empty_household(&db, v.0, "2009901").await;
    let other = empty_household(&db, v.0, "2009902").await;
    let now = Utc::now();
    let id = HouseholdId(hh.id);

    let state = villager::login_of(&db, &clerk, v, id).await.unwrap();
    assert!(!state.has_pin);
    // Trivial PINs and malformed phones are refused and nothing is written.
    for (phone, pin, msg) in [
        (
            "",
            "123456",
            "登录密码太简单（如 000000、123456），请换一个",
        ),
        ("", "12ab56", "登录密码应为 6 位数字"),
        ("2380000123", "305271", "手机号应为 11 位数字，以 1 开头"),
    ] {
        let err = villager::set_login(&db, &clerk, v, id, phone, Some(pin), now)
            .await
            .unwrap_err();
        assert_eq!(err.to_string(), msg);
    }
    assert!(
        !villager::login_of(&db, &clerk, v, id)
            .await
            .unwrap()
            .has_pin
    );

    let state = villager::set_login(&db, &clerk, v, id, "138 0000 1234", Some("305271"), now)
        .await
        .unwrap();
    assert_eq!(state.phone.as_deref(), Some("13800001234"));
    assert!(state.has_pin);

    // By card number and by phone, the household's own account.
    for name in ["2009901", "13800001234", "138-0000-1234"] {
        let (user, _) = auth::login(&db, name, "305271", "10.0.0.1", now)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(user.household_id, Some(hh.id));
        assert_eq!(user.role, "villager");
    }
    let err = auth::login(&db, "2009901", "305272", "10.0.0.2", now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "户卡号（手机号）或密码错误");

    // A phone signs in one household only.
    let err = villager::set_login(
        &db,
        &clerk,
        v,
        HouseholdId(other.id),
        "13800001234",
        None,
        now,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");

    // Resetting the PIN: the old one stops working.
    villager::set_login(&db, &clerk, v, id, "13800001234", Some("731902"), now)
        .await
        .unwrap();
    assert!(auth::login(&db, "2009901", "305271", "10.0.0.3", now)
        .await
        .is_err());
    assert!(auth::login(&db, "2009901", "731902", "10.0.0.3", now)
        .await
        .is_ok());
    // One sign-in per household, however often the PIN is reset.
    let accounts = user_account::Entity::find()
        .filter(user_account::Column::HouseholdId.eq(hh.id))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(accounts.len(), 1);
    // Staff names still sign in as before.
    assert!(auth::login(&db, "cun200", "gaoliang2026", "10.0.0.4", now)
        .await
        .is_ok());

    // Only the village's own back office sets PINs.
    let villager_caller = caller(&db, "hu200").await;
    let other_village = caller(&db, "cun201").await;
    for c in [&villager_caller, &other_village] {
        assert!(matches!(
            villager::set_login(&db, c, v, id, "", Some("305271"), now).await,
            Err(AppError::Forbidden)
        ));
    }
}

#[tokio::test]
async fn a_declaration_goes_through_review_to_an_entry_on_the_villagers_page() {
    let db = small_town("villager-declare").await;
    let me = caller(&db, "hu200").await;
    let clerk = caller(&db, "cun200").await;
    let v = clerk.village.unwrap();
    let hh_id = me.household.unwrap();
    let item = uncapped_item(&db, v.0, 3).await;
    let now = Utc::now();

    let (hh, assisted) = villager::household_for(&db, &me, None).await.unwrap();
    assert!(!assisted);
    let before = villager::home(&db, hh, false, now).await.unwrap();
    assert!(before.rank >= 1 && before.rank <= before.ranked_of);
    assert!(before.qr_svg.starts_with("<svg"));
    // Every entry says who recorded it.
    assert!(before.entries.iter().all(|e| !e.recorded_by.is_empty()));

    review::propose(
        &db,
        &me,
        NewProposal {
            household: hh_id,
            member: None,
            rule_item: app::domain::RuleItemId(item.id),
            reason: "帮邻居抢收玉米".into(),
            occurred_on: today(),
            evidence: None,
            assisted: false,
        },
        now,
    )
    .await
    .unwrap();
    let (hh, _) = villager::household_for(&db, &me, None).await.unwrap();
    let pending = villager::home(&db, hh, false, now).await.unwrap();
    let d = &pending.declarations[0];
    assert_eq!(
        (d.reason.as_str(), d.status_label.as_str()),
        ("帮邻居抢收玉米", "待审核")
    );
    assert!(!d.assisted);

    let p = proposal::Entity::find()
        .filter(proposal::Column::HouseholdId.eq(hh_id.0))
        .order_by_desc(proposal::Column::Id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    review::decide(&db, &clerk, v, &[ProposalId(p.id)], true, "属实", now)
        .await
        .unwrap();
    let (hh, _) = villager::household_for(&db, &me, None).await.unwrap();
    let after = villager::home(&db, hh, false, now).await.unwrap();
    assert_eq!(after.declarations[0].status_label, "已通过");
    assert_eq!(after.declarations[0].decision.as_deref(), Some("属实"));
    assert_eq!(after.balance, before.balance + 3);
    assert_eq!(after.month_points, before.month_points + 3);
    assert_eq!(after.year_points, before.year_points + 3);
    let e = after
        .entries
        .iter()
        .find(|e| e.reason == "帮邻居抢收玉米")
        .expect("the approved entry is on the page");
    assert_eq!(e.points, 3);
    assert_eq!(
        e.recorded_by,
        format!("{}积分管理员", village_name(&db, v).await)
    );
}

async fn village_name(db: &app::server::Db, v: VillageId) -> String {
    village::Entity::find_by_id(v.0)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap()
        .name
}

#[tokio::test]
async fn an_appeal_stays_on_its_entry_and_the_clerk_can_act_for_a_household() {
    let db = small_town("villager-appeal").await;
    let me = caller(&db, "hu200").await;
    let clerk = caller(&db, "cun200").await;
    let v = clerk.village.unwrap();
    let now = Utc::now();
    let (hh, _) = villager::household_for(&db, &me, None).await.unwrap();
    let home = villager::home(&db, hh.clone(), false, now).await.unwrap();
    let target = home
        .entries
        .iter()
        .find(|e| e.may_appeal && e.points > 0)
        .expect("an entry to appeal")
        .clone();

    let a = appeal::file(&db, &me, target.id, "那天我家没有参加", now)
        .await
        .unwrap();
    let home = villager::home(&db, hh.clone(), false, now).await.unwrap();
    let e = home.entries.iter().find(|e| e.id == target.id).unwrap();
    assert!(!e.may_appeal, "one open appeal at a time");
    assert_eq!(e.appeals.len(), 1);
    assert_eq!(e.appeals[0].status_label, "待处理");
    // The clerk's list: every waiting appeal (the demo town has some too)
    // before the answered ones.
    let list = villager::office_appeals(&db, v).await.unwrap();
    let waiting = list
        .iter()
        .take_while(|x| x.status == AppealStatus::Pending)
        .count();
    assert!(list[..waiting].iter().any(|x| x.id == a.id));
    assert!(list[waiting..]
        .iter()
        .all(|x| x.status != AppealStatus::Pending));

    let balance_before = home.balance;
    appeal::answer(&db, &clerk, a.id, true, "核实后更正", now)
        .await
        .unwrap();
    let (hh, _) = villager::household_for(&db, &me, None).await.unwrap();
    let home = villager::home(&db, hh.clone(), false, now).await.unwrap();
    assert_eq!(home.balance, balance_before - i64::from(target.points));
    let e = home.entries.iter().find(|e| e.id == target.id).unwrap();
    assert!(e.reversed);
    assert_eq!(e.appeals[0].status_label, "申诉成立");
    assert_eq!(e.appeals[0].answer.as_deref(), Some("核实后更正"));
    let reversal = home
        .entries
        .iter()
        .find(|r| r.reverses == Some(target.id))
        .expect("the reversal is listed");
    assert_eq!(Some(reversal.id), e.appeals[0].reversal);

    // The clerk opens the household's page for it (assisted) and declares.
    let (hh2, assisted) = villager::household_for(&db, &clerk, Some(HouseholdId(hh.id)))
        .await
        .unwrap();
    assert!(assisted);
    let item = uncapped_item(&db, v.0, 2).await;
    review::propose(
        &db,
        &clerk,
        NewProposal {
            household: HouseholdId(hh2.id),
            member: None,
            rule_item: app::domain::RuleItemId(item.id),
            reason: "代申报：义务修路".into(),
            occurred_on: today(),
            evidence: None,
            assisted: true,
        },
        now,
    )
    .await
    .unwrap();
    let home = villager::home(&db, hh2, true, now).await.unwrap();
    assert!(home.assisted);
    let d = &home.declarations[0];
    assert!(d.assisted, "shown as filed by staff");
    let p = proposal::Entity::find()
        .order_by_desc(proposal::Column::Id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.source, "villager", "it is the household's declaration");
    let log = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("propose"))
        .order_by_desc(audit_log::Column::Id)
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert!(log.detail.contains("assisted"), "{}", log.detail);

    // Nobody else opens the household's page.
    for name in ["hu201", "cun201", "shop200"] {
        let c = caller(&db, name).await;
        assert!(matches!(
            villager::household_for(&db, &c, Some(HouseholdId(hh.id))).await,
            Err(AppError::Forbidden)
        ));
    }
    // A staff member without a household has no page of their own.
    assert!(matches!(
        villager::household_for(&db, &clerk, None).await,
        Err(AppError::Forbidden)
    ));
}
