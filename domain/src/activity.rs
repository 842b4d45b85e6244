//! Points activities (积分活动): publishing, sign-up, check-in and the
//! award of their points, and the monthly figures the plan asks for
//! (活动场次 at least 2 and 参与人次 at least 20 a month).

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::time::{china_date, china_midnight, month_key};

/// The kinds of activity a village runs, in display order.
pub const CATEGORIES: [&str; 6] = ["环境整治", "志愿服务", "会议", "培训", "文化活动", "其他"];

/// Where an activity stands. On the wire as its stored form ("published").
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActivityStatus {
    /// 草稿: only the clerk sees it.
    Draft,
    /// 已发布: public, open for sign-up until the deadline.
    Published,
    /// 已取消: with a reason shown to those signed up.
    Cancelled,
    /// 已结束: held; its points can be awarded once.
    Finished,
}

impl ActivityStatus {
    /// Stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
            Self::Finished => "finished",
        }
    }

    /// Parses the stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            "cancelled" => Some(Self::Cancelled),
            "finished" => Some(Self::Finished),
            _ => None,
        }
    }

    /// In Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Published => "报名中",
            Self::Cancelled => "已取消",
            Self::Finished => "已结束",
        }
    }
}

/// What the clerk fills in for an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityForm {
    pub title: String,
    pub category: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub signup_deadline: DateTime<Utc>,
    /// None: no limit.
    pub capacity: Option<i32>,
}

/// Why an activity, a sign-up, a check-in or an award is refused. The
/// messages are shown as they are.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActivityError {
    #[error("请填写活动名称（不超过40个字）")]
    BadTitle,
    #[error("请选择活动类别")]
    BadCategory,
    #[error("请填写活动地点（不超过40个字）")]
    BadPlace,
    #[error("结束时间应晚于开始时间")]
    EndsBeforeStart,
    #[error("报名截止时间不能晚于活动开始时间")]
    DeadlineAfterStart,
    #[error("人数上限应在 1 到 1000 之间")]
    BadCapacity,
    #[error("活动未发布或已取消，不能报名")]
    NotOpen,
    #[error("报名已截止")]
    DeadlinePassed,
    #[error("名额已满（共 {0} 人）")]
    Full(i32),
    #[error("该成员已报名")]
    AlreadySignedUp,
    #[error("报名截止后不能取消报名，请联系村积分管理员")]
    TooLateToCancel,
    #[error("活动开始前 2 小时才能签到")]
    TooEarlyToCheckIn,
    #[error("活动已取消，不能签到")]
    CheckInClosed,
    #[error("活动结束后才能发放积分")]
    NotFinished,
    #[error("本活动积分已发放，不能重复发放")]
    AlreadyAwarded,
    #[error("请填写取消原因")]
    NoCancelReason,
    #[error("活动开始前 2 小时内才能结束活动")]
    TooEarlyToFinish,
}

/// Checks an activity form; returns it with trimmed text.
pub fn check_form(mut f: ActivityForm) -> Result<ActivityForm, ActivityError> {
    f.title = f.title.trim().to_string();
    f.place = f.place.trim().to_string();
    if f.title.is_empty() || f.title.chars().count() > 40 {
        return Err(ActivityError::BadTitle);
    }
    if !CATEGORIES.contains(&f.category.as_str()) {
        return Err(ActivityError::BadCategory);
    }
    if f.place.is_empty() || f.place.chars().count() > 40 {
        return Err(ActivityError::BadPlace);
    }
    if f.ends_at <= f.starts_at {
        return Err(ActivityError::EndsBeforeStart);
    }
    if f.signup_deadline > f.starts_at {
        return Err(ActivityError::DeadlineAfterStart);
    }
    if f.capacity.is_some_and(|c| !(1..=1000).contains(&c)) {
        return Err(ActivityError::BadCapacity);
    }
    Ok(f)
}

/// Whether one more member may sign up now.
pub fn check_signup(
    status: ActivityStatus,
    deadline: DateTime<Utc>,
    capacity: Option<i32>,
    signed_up: i32,
    already: bool,
    now: DateTime<Utc>,
) -> Result<(), ActivityError> {
    if status != ActivityStatus::Published {
        return Err(ActivityError::NotOpen);
    }
    if now > deadline {
        return Err(ActivityError::DeadlinePassed);
    }
    if already {
        return Err(ActivityError::AlreadySignedUp);
    }
    match capacity {
        Some(c) if signed_up >= c => Err(ActivityError::Full(c)),
        _ => Ok(()),
    }
}

/// A sign-up may be withdrawn until the deadline.
pub fn check_withdraw(deadline: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ActivityError> {
    if now > deadline {
        Err(ActivityError::TooLateToCancel)
    } else {
        Ok(())
    }
}

/// Check-in opens two hours before the start and stays open until the
/// points are awarded (a clerk may tick a paper list in afterwards).
pub fn check_check_in(
    status: ActivityStatus,
    starts_at: DateTime<Utc>,
    awarded: bool,
    now: DateTime<Utc>,
) -> Result<(), ActivityError> {
    match status {
        ActivityStatus::Cancelled | ActivityStatus::Draft => Err(ActivityError::CheckInClosed),
        _ if awarded => Err(ActivityError::AlreadyAwarded),
        _ if now < starts_at - chrono::Duration::hours(2) => Err(ActivityError::TooEarlyToCheckIn),
        _ => Ok(()),
    }
}

/// The clerk marks an activity finished (已结束) once it has come: from
/// the time check-in opens (an activity may end early: a clean-up done
/// before its planned end).
pub fn check_finish(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ActivityError> {
    if now < starts_at - chrono::Duration::hours(2) {
        Err(ActivityError::TooEarlyToFinish)
    } else {
        Ok(())
    }
}

/// The points of an activity are awarded once, when it is over: the clerk
/// marked it finished, or its planned end has passed.
pub fn check_award(
    status: ActivityStatus,
    ends_at: DateTime<Utc>,
    awarded: bool,
    now: DateTime<Utc>,
) -> Result<(), ActivityError> {
    if awarded {
        return Err(ActivityError::AlreadyAwarded);
    }
    match status {
        ActivityStatus::Finished => Ok(()),
        ActivityStatus::Published if now >= ends_at => Ok(()),
        _ => Err(ActivityError::NotFinished),
    }
}

/// A cancellation needs a reason for those who signed up.
pub fn check_cancel_reason(reason: &str) -> Result<String, ActivityError> {
    let r = reason.trim();
    if r.is_empty() {
        Err(ActivityError::NoCancelReason)
    } else {
        Ok(r.chars().take(100).collect())
    }
}

/// An activity as the monthly figures count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldActivity {
    pub status: ActivityStatus,
    pub starts_at: DateTime<Utc>,
    /// Members checked in.
    pub checked_in: i64,
}

/// A village's month of activities: 场次 (activities held, cancelled ones
/// not counted) and 人次 (check-ins at them), by the China date it started.
pub fn month_figures(activities: &[HeldActivity], month: i32) -> (usize, i64) {
    activities
        .iter()
        .filter(|a| {
            matches!(
                a.status,
                ActivityStatus::Published | ActivityStatus::Finished
            ) && month_key(china_date(a.starts_at)) == month
                && a.checked_in > 0
        })
        .fold((0, 0), |(n, people), a| (n + 1, people + a.checked_in))
}

/// When sign-up closes if the clerk leaves it open: 18:00 China time the
/// day before the activity, so the clerk knows that evening who is coming.
/// An activity starting before that evening (or one made too late for it)
/// takes sign-ups until it starts.
pub fn default_deadline(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let eve = china_date(starts_at)
        .pred_opt()
        .map(|day| china_midnight(day) + chrono::Duration::hours(18));
    match eve {
        Some(eve) if eve > now && eve < starts_at => eve,
        _ => starts_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_open_deadline_is_six_in_the_evening_before_unless_that_has_passed() {
        // 2026-11-20 09:00 China time is 01:00 UTC; the eve is 11-19 18:00
        // China time, 10:00 UTC.
        let starts = at(20, 1);
        assert_eq!(default_deadline(starts, at(10, 0)), at(19, 10));
        // Made on the evening itself, after six: sign-up runs to the start.
        assert_eq!(default_deadline(starts, at(19, 11)), starts);
    }

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
    }

    fn form() -> ActivityForm {
        ActivityForm {
            title: " 全民清洁日 ".into(),
            category: "环境整治".into(),
            place: "村委会广场".into(),
            starts_at: at(20, 1),
            ends_at: at(20, 4),
            signup_deadline: at(19, 10),
            capacity: Some(30),
        }
    }

    #[test]
    fn a_good_form_is_trimmed_and_a_bad_one_says_why() {
        assert_eq!(check_form(form()).unwrap().title, "全民清洁日");
        let late_end = ActivityForm {
            ends_at: at(20, 1),
            ..form()
        };
        assert_eq!(check_form(late_end), Err(ActivityError::EndsBeforeStart));
        let late_deadline = ActivityForm {
            signup_deadline: at(20, 2),
            ..form()
        };
        assert_eq!(
            check_form(late_deadline),
            Err(ActivityError::DeadlineAfterStart)
        );
        let no_room = ActivityForm {
            capacity: Some(0),
            ..form()
        };
        assert_eq!(check_form(no_room), Err(ActivityError::BadCapacity));
        let odd = ActivityForm {
            category: "打牌".into(),
            ..form()
        };
        assert_eq!(check_form(odd), Err(ActivityError::BadCategory));
    }

    #[test]
    fn sign_up_needs_an_open_activity_before_the_deadline_with_room() {
        let p = ActivityStatus::Published;
        assert_eq!(
            check_signup(p, at(19, 10), Some(2), 1, false, at(19, 9)),
            Ok(())
        );
        assert_eq!(
            check_signup(p, at(19, 10), Some(2), 2, false, at(19, 9)),
            Err(ActivityError::Full(2))
        );
        assert_eq!(
            check_signup(p, at(19, 10), None, 500, false, at(19, 11)),
            Err(ActivityError::DeadlinePassed)
        );
        assert_eq!(
            check_signup(p, at(19, 10), None, 5, true, at(19, 9)),
            Err(ActivityError::AlreadySignedUp)
        );
        assert_eq!(
            check_signup(
                ActivityStatus::Cancelled,
                at(19, 10),
                None,
                0,
                false,
                at(19, 9)
            ),
            Err(ActivityError::NotOpen)
        );
        assert_eq!(check_withdraw(at(19, 10), at(19, 10)), Ok(()));
        assert_eq!(
            check_withdraw(at(19, 10), at(19, 11)),
            Err(ActivityError::TooLateToCancel)
        );
    }

    #[test]
    fn check_in_opens_two_hours_before_and_award_happens_once_after_the_end() {
        let p = ActivityStatus::Published;
        assert_eq!(
            check_check_in(p, at(20, 4), false, at(20, 1)),
            Err(ActivityError::TooEarlyToCheckIn)
        );
        assert_eq!(check_check_in(p, at(20, 4), false, at(20, 2)), Ok(()));
        assert_eq!(
            check_check_in(p, at(20, 4), true, at(20, 5)),
            Err(ActivityError::AlreadyAwarded)
        );
        assert_eq!(
            check_award(p, at(20, 4), false, at(20, 3)),
            Err(ActivityError::NotFinished)
        );
        assert_eq!(
            check_award(ActivityStatus::Finished, at(20, 4), false, at(20, 5)),
            Ok(())
        );
        assert_eq!(
            check_award(ActivityStatus::Finished, at(20, 4), true, at(20, 5)),
            Err(ActivityError::AlreadyAwarded)
        );
        // Marked finished early by the clerk: awarded at once.
        assert_eq!(
            check_award(ActivityStatus::Finished, at(20, 4), false, at(20, 3)),
            Ok(())
        );
        assert_eq!(
            check_award(ActivityStatus::Cancelled, at(20, 4), false, at(20, 5)),
            Err(ActivityError::NotFinished)
        );
        assert_eq!(
            check_finish(at(20, 4), at(20, 1)),
            Err(ActivityError::TooEarlyToFinish)
        );
        assert_eq!(check_finish(at(20, 4), at(20, 2)), Ok(()));
    }

    #[test]
    fn a_month_counts_held_activities_and_check_ins_by_china_date() {
        let held = |status, starts_at, checked_in| HeldActivity {
            status,
            starts_at,
            checked_in,
        };
        let list = [
            held(ActivityStatus::Finished, at(3, 2), 12),
            held(ActivityStatus::Finished, at(18, 2), 9),
            // 30 Nov 17:00 UTC is 1 Dec in China: next month.
            held(ActivityStatus::Finished, at(30, 17), 40),
            held(ActivityStatus::Cancelled, at(10, 2), 0),
            // Published but nobody came: not held.
            held(ActivityStatus::Published, at(25, 2), 0),
        ];
        assert_eq!(month_figures(&list, 202611), (2, 21));
        assert_eq!(month_figures(&list, 202612), (1, 40));
    }
}
