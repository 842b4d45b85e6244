//! Calendar helpers. The town lives in China Standard Time (UTC+8, no DST),
//! so "today" and "this month" are computed there, whatever the server's zone.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// UTC+8.
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("valid offset")
}

/// The calendar date in China at the instant `now`.
pub fn china_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&china_offset()).date_naive()
}

/// The day of `t` in China as a date field takes it: `2026-12-04`.
pub fn china_day(t: DateTime<Utc>) -> String {
    china_date(t).format("%Y-%m-%d").to_string()
}

/// An instant as people in the town read it: `2026-12-02 14:35`.
pub fn china_minute(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The instant a China calendar day begins, in UTC (16:00 the day before).
pub fn china_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_local_timezone(china_offset())
        .single()
        .expect("fixed offset is unambiguous")
        .with_timezone(&Utc)
}

/// A month as a sortable integer `yyyymm`, e.g. 202611.
pub fn month_key(date: NaiveDate) -> i32 {
    date.year() * 100 + date.month() as i32
}

/// The first day of a month key; `None` for a key that is no month.
pub fn first_day(month: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(month / 100, u32::try_from(month % 100).ok()?, 1)
}

/// The first and last month keys of the year containing `month`.
pub fn year_bounds(month: i32) -> (i32, i32) {
    let year = month / 100;
    (year * 100 + 1, year * 100 + 12)
}

/// The month before `month` (`yyyymm`).
pub fn previous_month(month: i32) -> i32 {
    let (y, m) = (month / 100, month % 100);
    if m == 1 {
        (y - 1) * 100 + 12
    } else {
        y * 100 + m - 1
    }
}

/// The month after `month` (`yyyymm`).
pub fn next_month(month: i32) -> i32 {
    if month % 100 == 12 {
        (month / 100 + 1) * 100 + 1
    } else {
        month + 1
    }
}

/// The first year the platform keeps records of.
pub const FIRST_YEAR: i32 = 2020;

/// Whether `year` may be asked about on `today`: from [`FIRST_YEAR`] to next
/// year. Anything else (2147483647) is a mistake or a probe, and would
/// overflow the `yyyymm` arithmetic.
pub fn year_served(year: i32, today: NaiveDate) -> bool {
    (FIRST_YEAR..=today.year() + 1).contains(&year)
}

/// Whether `month` is a `yyyymm` key of a year [`year_served`].
pub fn month_served(month: i32, today: NaiveDate) -> bool {
    first_day(month).is_some() && year_served(month / 100, today)
}

/// "2026年11月" for a month key.
pub fn month_label(month: i32) -> String {
    format!("{}年{}月", month / 100, month % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_china_day_reads_as_a_date_field() {
        let t = DateTime::parse_from_rfc3339("2026-12-03T16:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(china_day(t), "2026-12-04");
    }

    #[test]
    fn a_month_key_has_a_first_day_and_a_bad_key_none() {
        assert_eq!(first_day(202602), NaiveDate::from_ymd_opt(2026, 2, 1));
        assert_eq!(
            first_day(first_day(202612).map(month_key).unwrap()),
            NaiveDate::from_ymd_opt(2026, 12, 1)
        );
        assert_eq!(first_day(202613), None);
        assert_eq!(first_day(202600), None);
        assert_eq!(first_day(-202601), None);
    }

    #[test]
    fn a_china_day_starts_at_four_pm_utc_the_day_before() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let start = china_midnight(day);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 28, 16, 0, 0).unwrap());
        assert_eq!(china_date(start), day);
        assert_eq!(
            china_date(start - chrono::Duration::seconds(1)),
            day.pred_opt().unwrap()
        );
    }

    #[test]
    fn china_date_crosses_midnight_before_utc() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 17, 30, 0).unwrap();
        assert_eq!(
            china_date(now),
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        );
        assert_eq!(month_key(china_date(now)), 202612);
    }

    #[test]
    fn months_wrap_over_the_year() {
        assert_eq!(previous_month(202601), 202512);
        assert_eq!(previous_month(202611), 202610);
        assert_eq!(next_month(202612), 202701);
        assert_eq!(next_month(202610), 202611);
        assert_eq!(year_bounds(202607), (202601, 202612));
        assert_eq!(month_label(202603), "2026年3月");
    }
}
