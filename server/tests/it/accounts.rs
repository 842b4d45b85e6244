//! Accounts on a real SQLite file: the login throttle counts the resolved
//! account atomically and slows instead of locking out, sessions end on a
//! PIN reset, on moving away and after their idle time, and a phone and a
//! card number never name two households.

use crate::common;

use app::api::households::HouseholdForm;
use app::domain::{GroupId, HouseholdId};
use app::error::AppError;
use app::server::entities::*;
use app::server::{auth, households, villager};
use chrono::{Duration, Utc};
use common::*;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

const RIGHT: &str = "gaoliang2026";

fn throttled(r: &Result<(user_account::Model, String), AppError>) -> bool {
    matches!(r, Err(AppError::Throttled(_)))
}

#[tokio::test]
async fn every_spelling_of_a_card_number_and_its_user_name_share_one_failure_count() {
    let db = small_town("throttle-spellings").await;
    let now = Utc::now();
    let ip = "10.0.0.1";
    // hu200 holds card 2000001: five wrong PINs under five spellings.
    for name in ["2000001", "200-0001", "200 0001", "hu200", " 2000001 "] {
        let r = auth::login(&db, name, "wrong-pin", ip, now).await;
        assert!(matches!(r, Err(AppError::Invalid(_))), "{name}: {r:?}");
    }
    // No spelling starts afresh, and the user name is not a way around.
    for name in ["20000-01", "hu200", "2000001"] {
        let r = auth::login(&db, name, RIGHT, ip, now).await;
        assert!(throttled(&r), "{name}: {r:?}");
    }
    // The wait is short at first: the owner gets in two seconds later.
    let (user, _) = auth::login(&db, "hu200", RIGHT, ip, now + Duration::seconds(3))
        .await
        .unwrap();
    assert_eq!(user.username, "hu200");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_concurrent_wrong_pins_are_checked_only_five_times() {
    let db = small_town("throttle-race").await;
    let now = Utc::now();
    let tries: Vec<_> = (0..60)
        .map(|i| {
            let db = db.clone();
            tokio::spawn(async move {
                auth::login(
                    &db,
                    "2000001",
                    &format!("{:06}", 400_000 + i),
                    "10.0.0.9",
                    now,
                )
                .await
            })
        })
        .collect();
    let mut checked = 0;
    let mut refused = 0;
    for t in tries {
        match t.await.unwrap() {
            Err(AppError::Invalid(_)) => checked += 1,
            Err(AppError::Throttled(_)) => refused += 1,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((checked, refused), (5, 55));
}

#[tokio::test]
async fn a_stranger_slows_a_staff_account_but_never_locks_the_owner_out() {
    let db = small_town("throttle-staff").await;
    let now = Utc::now();
    let stranger = "203.0.113.7";
    for _ in 0..5 {
        assert!(auth::login(&db, "cun200", "guess", stranger, now)
            .await
            .is_err());
    }
    assert!(throttled(
        &auth::login(&db, "cun200", "guess", stranger, now).await
    ));
    // The owner, in the village office, signs in at once.
    auth::login(&db, "cun200", RIGHT, "10.20.0.5", now)
        .await
        .unwrap();
    // The moment tries began to wait is in the audit log, on the account.
    let clerk = caller(&db, "cun200").await;
    let logged = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("login_throttled"))
        .filter(audit_log::Column::TargetId.eq(clerk.user.0))
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert!(logged[0].detail.contains(stranger), "{}", logged[0].detail);
    // Even from the stranger's address the wait grows, then ends: never
    // more than fifteen minutes after the last checked failure.
    let mut t = now;
    for _ in 0..20 {
        t += Duration::minutes(15);
        assert!(matches!(
            auth::login(&db, "shop200", "guess", stranger, t).await,
            Err(AppError::Invalid(_))
        ));
    }
    auth::login(&db, "shop200", RIGHT, stranger, t + Duration::minutes(15))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_shared_office_address_is_refused_only_after_a_hundred_failures() {
    let db = small_town("throttle-office").await;
    let now = Utc::now();
    let office = "10.9.9.9";
    let fail = |i: usize| login_attempt::ActiveModel {
        username: Set(format!("?someone{i}")),
        address: Set(office.into()),
        success: Set(false),
        at: Set(now - Duration::minutes(5)),
        ..Default::default()
    };
    for i in 0..99 {
        fail(i).insert(&db.conn).await.unwrap();
    }
    auth::login(&db, "cun200", RIGHT, office, now)
        .await
        .unwrap();
    fail(99).insert(&db.conn).await.unwrap();
    assert!(throttled(
        &auth::login(&db, "shop200", RIGHT, office, now).await
    ));
    auth::login(&db, "shop200", RIGHT, "10.9.9.10", now)
        .await
        .unwrap();
    // The window slides: fifteen minutes on, the office is welcome again.
    auth::login(&db, "shop200", RIGHT, office, now + Duration::minutes(11))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_pin_reset_or_moving_away_ends_every_session_of_the_household() {
    let db = small_town("sessions-end").await;
    let clerk = caller(&db, "cun200").await;
    let v = clerk.village.unwrap();
    let hh = empty_household(&db, v.0, "2009801").await;
    let id = HouseholdId(hh.id);
    let now = Utc::now();
    villager::set_login(&db, &clerk, v, id, "", Some("305271"), now)
        .await
        .unwrap();
    let (_, phone) = auth::login(&db, "2009801", "305271", "10.0.0.1", now)
        .await
        .unwrap();
    let (_, tablet) = auth::login(&db, "2009801", "305271", "10.0.0.2", now)
        .await
        .unwrap();
    for t in [&phone, &tablet] {
        assert!(auth::user_for_token(&db, t, now).await.unwrap().is_some());
    }
    villager::set_login(&db, &clerk, v, id, "", Some("731902"), now)
        .await
        .unwrap();
    for t in [&phone, &tablet] {
        assert!(auth::user_for_token(&db, t, now).await.unwrap().is_none());
    }
    let (_, fresh) = auth::login(&db, "2009801", "731902", "10.0.0.1", now)
        .await
        .unwrap();
    assert!(auth::user_for_token(&db, &fresh, now)
        .await
        .unwrap()
        .is_some());
    households::set_moved_away(&db, &clerk, v, id, true, now)
        .await
        .unwrap();
    assert!(auth::user_for_token(&db, &fresh, now)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn an_unused_session_ends_after_its_roles_idle_time_and_use_keeps_it() {
    let db = small_town("sessions-idle").await;
    let t0 = Utc::now();
    let (_, staff) = auth::login(&db, "cun200", RIGHT, "10.0.0.1", t0)
        .await
        .unwrap();
    let (_, home) = auth::login(&db, "hu200", RIGHT, "10.0.0.2", t0)
        .await
        .unwrap();
    let alive = |token: String, at| {
        let db = db.clone();
        async move {
            auth::user_for_token(&db, &token, at)
                .await
                .unwrap()
                .is_some()
        }
    };
    // Reads within a minute do not write.
    assert!(alive(staff.clone(), t0 + Duration::seconds(30)).await);
    let row = session::Entity::find()
        .filter(session::Column::UserId.eq(caller(&db, "cun200").await.user.0))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.last_seen_at, Some(t0));
    // Staff: twelve hours idle. Use keeps it going, past the first twelve.
    let h = Duration::hours;
    assert!(alive(staff.clone(), t0 + h(11)).await);
    assert!(alive(staff.clone(), t0 + h(22)).await);
    assert!(!alive(staff.clone(), t0 + h(35)).await);
    // Villagers: a week.
    let d = Duration::days;
    assert!(alive(home.clone(), t0 + d(6)).await);
    assert!(alive(home.clone(), t0 + d(12)).await);
    assert!(!alive(home.clone(), t0 + d(20)).await);
    // And never past the absolute expiry, however often used.
    let (_, busy) = auth::login(&db, "hu200", RIGHT, "10.0.0.2", t0)
        .await
        .unwrap();
    for k in 1..auth::SESSION_DAYS / 5 {
        assert!(alive(busy.clone(), t0 + d(5 * k)).await);
    }
    assert!(!alive(busy, t0 + d(auth::SESSION_DAYS) + h(1)).await);
}

#[tokio::test]
async fn a_phone_used_in_another_village_is_refused_without_naming_the_household() {
    let db = small_town("phone-oracle").await;
    let now = Utc::now();
    let clerk201 = caller(&db, "cun201").await;
    let w = clerk201.village.unwrap();
    let theirs = empty_household(&db, w.0, "2019801").await;
    villager::set_login(
        &db,
        &clerk201,
        w,
        HouseholdId(theirs.id),
        "13800005678",
        None,
        now,
    )
    .await
    .unwrap();
    let clerk = caller(&db, "cun200").await;
    let v = clerk.village.unwrap();
    let ours = empty_household(&db, v.0, "2009811").await;
    let err = villager::set_login(
        &db,
        &clerk,
        v,
        HouseholdId(ours.id),
        "13800005678",
        None,
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Conflict("该手机号已被使用".into()));
}

#[tokio::test]
async fn card_numbers_and_phones_cannot_collide() {
    let db = small_town("card-phone").await;
    let now = Utc::now();
    let clerk = caller(&db, "cun200").await;
    let v = clerk.village.unwrap();
    let group = village_group::Entity::find()
        .filter(village_group::Column::VillageId.eq(v.0))
        .one(&db.conn)
        .await
        .unwrap()
        .unwrap();
    let form = |card: &str| HouseholdForm {
        group: GroupId(group.id),
        head_name: "李四".into(),
        card_no: card.into(),
        address: "一组".into(),
        resident: true,
        aware: true,
        members: vec![],
    };
    // A card number shaped like a phone is refused at creation.
    let err = households::create(&db, &clerk, v, form("13800007777"), now)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid(m) if m.contains("手机号")),
        "{err:?}"
    );
    // A card number from before the rule cannot then be set as a phone.
    let old = empty_household(&db, v.0, "13700002222").await;
    let other = empty_household(&db, v.0, "2009821").await;
    let err = villager::set_login(
        &db,
        &clerk,
        v,
        HouseholdId(other.id),
        "13700002222",
        None,
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Conflict("该手机号已被使用".into()));
    assert_eq!(old.card_no, "13700002222");
}
