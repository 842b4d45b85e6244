//! Activities on a real SQLite file: sign-up capacity and deadline,
//! withdrawing, who may sign up whom, check-in. (Issue 5, in progress.)

use crate::common;

use app::domain::activity::{ActivityForm, ActivityStatus};
use app::domain::{ActivityId, MemberId, RuleItemId, SignupId, VillageId};
use app::error::AppError;
use app::server::activity;
use app::server::entities::*;
use chrono::{Duration, Utc};
use common::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

async fn members_of(db: &app::server::Db, village_id: i32, n: usize) -> Vec<member::Model> {
    let hh: Vec<i32> = household::Entity::find()
        .filter(household::Column::VillageId.eq(village_id))
        .order_by_asc(household::Column::Id)
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.id)
        .collect();
    member::Entity::find()
        .filter(member::Column::HouseholdId.is_in(hh))
        .order_by_asc(member::Column::Id)
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .take(n)
        .collect()
}

#[tokio::test]
async fn sign_up_respects_capacity_deadline_and_who_may_sign_up_whom() {
    let db = small_town("activity-signup").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let item = uncapped_item(&db, v.id, 5).await;
    let now = Utc::now();
    let form = ActivityForm {
        title: "全民清洁日".into(),
        category: "环境整治".into(),
        place: "村委会广场".into(),
        starts_at: now + Duration::days(3),
        ends_at: now + Duration::days(3) + Duration::hours(3),
        signup_deadline: now + Duration::days(2),
        capacity: Some(2),
    };
    let a = activity::create(
        &db,
        &clerk,
        VillageId(v.id),
        form,
        "带好扫帚",
        RuleItemId(item.id),
        now,
    )
    .await
    .unwrap();
    let people = members_of(&db, v.id, 3).await;
    // A draft is not open.
    let err = activity::sign_up(&db, &clerk, ActivityId(a.id), MemberId(people[0].id), now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "活动未发布或已取消，不能报名");
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Published,
        "",
        now,
    )
    .await
    .unwrap();

    let first = activity::sign_up(&db, &clerk, ActivityId(a.id), MemberId(people[0].id), now)
        .await
        .unwrap();
    assert!(first.assisted, "the clerk signing someone up is assisted");
    activity::sign_up(&db, &clerk, ActivityId(a.id), MemberId(people[1].id), now)
        .await
        .unwrap();
    let err = activity::sign_up(&db, &clerk, ActivityId(a.id), MemberId(people[2].id), now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "名额已满（共 2 人）");
    // Withdrawing frees the place; after the deadline nothing moves.
    activity::withdraw(&db, &clerk, SignupId(first.id), now)
        .await
        .unwrap();
    activity::sign_up(&db, &clerk, ActivityId(a.id), MemberId(people[2].id), now)
        .await
        .unwrap();
    let late = now + Duration::days(2) + Duration::minutes(1);
    let err = activity::sign_up(&db, &clerk, ActivityId(a.id), MemberId(people[0].id), late)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "报名已截止");
    let err = activity::withdraw(&db, &clerk, SignupId(first.id), late)
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("报名截止后不能取消报名"));

    // Another village's clerk may not sign anyone up here.
    let other = caller(&db, "cun201").await;
    assert!(matches!(
        activity::sign_up(&db, &other, ActivityId(a.id), MemberId(people[0].id), now).await,
        Err(AppError::Forbidden)
    ));
    // Cancelling needs a reason.
    let err = activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Cancelled,
        " ",
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_string(), "请填写取消原因");
}

#[tokio::test]
async fn check_in_opens_before_the_start_and_takes_walk_ins() {
    let db = small_town("activity-checkin").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let item = uncapped_item(&db, v.id, 3).await;
    let now = Utc::now();
    let form = ActivityForm {
        title: "道德讲堂".into(),
        category: "培训".into(),
        place: "村会议室".into(),
        starts_at: now + Duration::hours(3),
        ends_at: now + Duration::hours(5),
        signup_deadline: now + Duration::hours(1),
        capacity: None,
    };
    let a = activity::create(
        &db,
        &clerk,
        VillageId(v.id),
        form,
        "",
        RuleItemId(item.id),
        now,
    )
    .await
    .unwrap();
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Published,
        "",
        now,
    )
    .await
    .unwrap();
    let people = members_of(&db, v.id, 2).await;
    let err = activity::check_in(&db, &clerk, ActivityId(a.id), MemberId(people[0].id), now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "活动开始前 2 小时才能签到");
    let soon = now + Duration::hours(2);
    // A walk-in without sign-up is checked in all the same, once.
    let row = activity::check_in(&db, &clerk, ActivityId(a.id), MemberId(people[1].id), soon)
        .await
        .unwrap();
    assert!(row.checked_in_at.is_some());
    let again = activity::check_in(&db, &clerk, ActivityId(a.id), MemberId(people[1].id), soon)
        .await
        .unwrap();
    assert_eq!(again.id, row.id);
    let checked = activity_signup::Entity::find()
        .filter(activity_signup::Column::ActivityId.eq(a.id))
        .filter(activity_signup::Column::CheckedInAt.is_not_null())
        .all(&db.conn)
        .await
        .unwrap();
    assert_eq!(checked.len(), 1);

    // One click after the end awards every participant, once.
    let err = activity::award(&db, &clerk, ActivityId(a.id), soon)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "活动结束后才能发放积分");
    let hh = people[1].household_id;
    let before = reload(&db, hh).await.balance;
    let after_end = now + Duration::hours(6);
    let entries = activity::award(&db, &clerk, ActivityId(a.id), after_end)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].activity_id, Some(a.id));
    assert_eq!(entries[0].member_id, Some(people[1].id));
    assert_eq!(reload(&db, hh).await.balance, before + 3);
    let err = activity::award(&db, &clerk, ActivityId(a.id), after_end)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "本活动积分已发放，不能重复发放");
    assert_eq!(reload(&db, hh).await.balance, before + 3);
    assert_eq!(app::server::ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn the_clerk_finishes_early_then_awards_once_and_the_lists_count_it() {
    let db = small_town("activity-finish").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let item = uncapped_item(&db, v.id, 4).await;
    let now = Utc::now();
    let form = ActivityForm {
        title: "村规民约宣讲".into(),
        category: "会议".into(),
        place: "村会议室".into(),
        starts_at: now + Duration::hours(3),
        ends_at: now + Duration::hours(4),
        signup_deadline: now + Duration::hours(3),
        capacity: None,
    };
    let a = activity::create(
        &db,
        &clerk,
        VillageId(v.id),
        form,
        "",
        RuleItemId(item.id),
        now,
    )
    .await
    .unwrap();
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Published,
        "",
        now,
    )
    .await
    .unwrap();
    // Not finished before check-in opens.
    let err = activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Finished,
        "",
        now,
    )
    .await
    .unwrap_err();
    assert_eq!(err.to_string(), "活动开始前 2 小时内才能结束活动");
    let people = members_of(&db, v.id, 3).await;
    let soon = now + Duration::hours(2);
    for p in &people {
        activity::check_in(&db, &clerk, ActivityId(a.id), MemberId(p.id), soon)
            .await
            .unwrap();
    }
    // A wrong tick is taken back.
    activity::undo_check_in(&db, &clerk, ActivityId(a.id), MemberId(people[2].id), soon)
        .await
        .unwrap();
    let desk = activity::office_detail(&db, VillageId(v.id), ActivityId(a.id), soon)
        .await
        .unwrap();
    assert_eq!(desk.roster.iter().filter(|r| r.checked_in).count(), 2);
    assert!(!desk.detail.award_open);
    // Ended early: the clerk marks it finished and awards at once.
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Finished,
        "",
        soon,
    )
    .await
    .unwrap();
    let entries = activity::award(&db, &clerk, ActivityId(a.id), soon)
        .await
        .unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.activity_id == Some(a.id)));
    let err = activity::award(&db, &clerk, ActivityId(a.id), soon)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "本活动积分已发放，不能重复发放");
    assert!(
        activity::undo_check_in(&db, &clerk, ActivityId(a.id), MemberId(people[0].id), soon)
            .await
            .is_err()
    );
    let lists = activity::village_list(&db, VillageId(v.id), soon)
        .await
        .unwrap();
    assert!(lists.upcoming.iter().all(|x| x.id != ActivityId(a.id)));
    let ours = lists
        .past
        .iter()
        .find(|x| x.id == ActivityId(a.id))
        .unwrap();
    assert_eq!(ours.checked_in, 2);
    assert!(ours.awarded);
    assert_eq!(ours.status_label, "已结束");
    assert_eq!(app::server::ledger::verify(&db).await.unwrap(), vec![]);
}

#[tokio::test]
async fn a_cancelled_activity_shows_its_reason_and_a_draft_is_not_public() {
    let db = small_town("activity-cancel").await;
    let v = village(&db, "200").await;
    let clerk = caller(&db, "cun200").await;
    let item = uncapped_item(&db, v.id, 2).await;
    let now = Utc::now();
    let form = ActivityForm {
        title: "插花培训".into(),
        category: "培训".into(),
        place: "文化室".into(),
        starts_at: now + Duration::days(1),
        ends_at: now + Duration::days(1) + Duration::hours(2),
        signup_deadline: now + Duration::hours(20),
        capacity: Some(10),
    };
    let a = activity::create(
        &db,
        &clerk,
        VillageId(v.id),
        form,
        "",
        RuleItemId(item.id),
        now,
    )
    .await
    .unwrap();
    assert!(activity::public_detail(&db, ActivityId(a.id), now)
        .await
        .is_err());
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Published,
        "",
        now,
    )
    .await
    .unwrap();
    activity::set_status(
        &db,
        &clerk,
        ActivityId(a.id),
        ActivityStatus::Cancelled,
        "下雨，改期",
        now,
    )
    .await
    .unwrap();
    let d = activity::public_detail(&db, ActivityId(a.id), now)
        .await
        .unwrap();
    assert_eq!(d.summary.status, ActivityStatus::Cancelled);
    assert_eq!(d.cancel_reason.as_deref(), Some("下雨，改期"));
    assert!(!d.signup_open);
}

#[test]
fn a_form_without_a_deadline_closes_sign_up_at_six_the_evening_before() {
    use chrono::TimeZone;
    let form = |deadline: &str, now| {
        activity::parse_form(
            "全民清洁日".into(),
            "环境整治".into(),
            "村委会广场".into(),
            "2026-11-20T09:00",
            "2026-11-20T11:00",
            deadline,
            "",
            now,
        )
        .unwrap()
    };
    let week_before = Utc.with_ymd_and_hms(2026, 11, 13, 2, 0, 0).unwrap();
    // 18:00 China time on 11-19 is 10:00 UTC.
    let eve = Utc.with_ymd_and_hms(2026, 11, 19, 10, 0, 0).unwrap();
    assert_eq!(form("", week_before).signup_deadline, eve);
    // A deadline the clerk writes is kept.
    assert_eq!(
        form("2026-11-18T12:00", week_before).signup_deadline,
        Utc.with_ymd_and_hms(2026, 11, 18, 4, 0, 0).unwrap()
    );
    // Saved after that evening: sign-up runs until the start.
    let late = Utc.with_ymd_and_hms(2026, 11, 19, 12, 0, 0).unwrap();
    assert_eq!(
        form("", late).signup_deadline,
        Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap()
    );
}
