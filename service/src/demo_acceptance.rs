//! The demo town's acceptance records and evaluation inputs: most villages
//! accepted between late July and 15 August, three late, one not yet;
//! 六有 evidence (small generated pictures) and scheme documents for most
//! items; a living-environment score for every village and finished month
//! of the year, mostly 88-97; one disqualifying event on one village.
//! Deterministic: the same town every time.

use std::io::Cursor;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use super::entities::{
    acceptance_evidence, household, living_score, village, village_acceptance, village_flag,
};
use super::Db;
use domain::acceptance::{deadline, ChecklistItem};
use domain::evaluation::Disqualification;
use domain::time::{china_date, china_midnight, month_key, previous_month};

/// Acceptance day of each taking-part village by code suffix (month, day)
/// in the round's year; `None`: not accepted yet.
pub const ACCEPTED: [(&str, Option<(u32, u32)>); 15] = [
    ("001", Some((7, 28))),
    ("200", Some((7, 30))),
    ("201", Some((8, 3))),
    ("202", Some((8, 5))),
    ("203", Some((8, 6))),
    ("204", Some((8, 10))),
    ("205", Some((8, 12))),
    ("206", Some((8, 14))),
    ("207", Some((7, 29))),
    ("210", Some((8, 15))),
    // Late: after 15 August.
    ("211", Some((8, 21))),
    ("212", Some((9, 4))),
    ("213", Some((8, 13))),
    // Not accepted yet.
    ("214", None),
    ("215", Some((8, 27))),
];

/// Evidence items a village has not uploaded, by code suffix.
const MISSING: [(&str, &[ChecklistItem]); 3] = [
    (
        "214",
        &[
            ChecklistItem::Signboard,
            ChecklistItem::Prices,
            ChecklistItem::Rules,
            ChecklistItem::IssueLedger,
            ChecklistItem::Staff,
        ],
    ),
    ("215", &[ChecklistItem::Signboard, ChecklistItem::Prices]),
    ("212", &[ChecklistItem::Staff]),
];

/// Villages whose awareness campaign has not reached every resident
/// household (the others are at 100%).
const AWARENESS_SHORT: [&str; 3] = ["205", "212", "214"];

/// The village with the disqualifying event.
const FLAGGED: &str = "211";

/// The year of the acceptance round the demo shows: this year once 15
/// August has passed, else last year.
pub fn round_year(today: NaiveDate) -> i32 {
    if today > deadline(today.year()) {
        today.year()
    } else {
        today.year() - 1
    }
}

/// A tiny picture standing in for a photo: a coloured card with a stripe.
fn picture(seed: u32) -> Vec<u8> {
    let base = [
        [196u8, 62, 48],
        [40, 110, 170],
        [60, 140, 80],
        [200, 150, 40],
        [120, 80, 160],
        [90, 90, 90],
    ][(seed % 6) as usize];
    let img = image::RgbImage::from_fn(96, 64, |x, y| {
        if (20..44).contains(&y) && x > 8 && x < 88 {
            image::Rgb([250, 246, 236])
        } else if (x + y + seed) % 16 < 2 {
            image::Rgb([base[0] / 2, base[1] / 2, base[2] / 2])
        } else {
            image::Rgb(base)
        }
    });
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode demo picture");
    out.into_inner()
}

/// A one-page PDF standing in for the village's scheme document.
fn scheme_pdf(code: &str, year: i32) -> Vec<u8> {
    let text = format!("Gaoliang points scheme {year} - unit {code}");
    let stream = format!("BT /F1 18 Tf 60 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

fn file_name(item: ChecklistItem, village: &str) -> String {
    match item {
        ChecklistItem::Scheme => format!("{village}积分制实施方案.pdf"),
        ChecklistItem::Place => "积分超市场所.jpg".into(),
        ChecklistItem::Signboard => "积分超市招牌.jpg".into(),
        ChecklistItem::Prices => "商品明码标价.jpg".into(),
        ChecklistItem::Rules => "积分超市管理制度上墙.jpg".into(),
        ChecklistItem::IssueLedger => "积分发放台账.jpg".into(),
        _ => "专人管理公示牌.jpg".into(),
    }
}

/// Loads the demo's acceptance records inside the seed's transaction;
/// files go under the data folder of `db`.
pub async fn load<C: ConnectionTrait>(
    c: &C,
    db: &Db,
    admin: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let today = china_date(now);
    let year = round_year(today);
    let villages = village::Entity::find()
        .filter(village::Column::TakingPart.eq(true))
        .all(c)
        .await?;
    let pictures: Vec<Vec<u8>> = (0..6).map(picture).collect();
    let mut rng = super::demo_data::DemoRng::new(20260815);
    let io = |e: wire::AppError| DbErr::Custom(e.to_string());
    for (vi, v) in villages.iter().enumerate() {
        let suffix = &v.code[v.code.len() - 3..];
        let accepted = ACCEPTED
            .iter()
            .find(|(s, _)| *s == suffix)
            .and_then(|(_, d)| *d)
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(year, m, d));
        // Evidence uploaded in the weeks before acceptance (or in July).
        let uploaded_on = accepted
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 8, 1).expect("date"))
            - chrono::Duration::days(6);
        let missing = MISSING
            .iter()
            .find(|(s, _)| *s == suffix)
            .map(|(_, m)| *m)
            .unwrap_or(&[]);
        let mut rows = Vec::new();
        for (ii, item) in ChecklistItem::WITH_EVIDENCE.iter().enumerate() {
            if missing.contains(item) {
                continue;
            }
            let (bytes, content_type, ext) = if *item == ChecklistItem::Scheme {
                (scheme_pdf(&v.code, year), "application/pdf", "pdf")
            } else {
                (pictures[(ii + vi) % 6].clone(), "image/jpeg", "jpg")
            };
            let stored = super::uploads::write(db, "acceptance", v.id, ext, &bytes)
                .await
                .map_err(io)?;
            let at = china_midnight(uploaded_on) + chrono::Duration::hours(9 + ii as i64);
            rows.push(acceptance_evidence::ActiveModel {
                village_id: Set(v.id),
                item: Set(item.as_str().into()),
                file_name: Set(stored),
                original_name: Set(file_name(*item, &v.name)),
                content_type: Set(content_type.into()),
                bytes: Set(bytes.len() as i32),
                note: Set(if *item == ChecklistItem::Scheme {
                    "经村民代表大会讨论通过".into()
                } else {
                    String::new()
                }),
                uploaded_by: Set(admin),
                uploaded_at: Set(at),
                ..Default::default()
            });
        }
        if !rows.is_empty() {
            acceptance_evidence::Entity::insert_many(rows)
                .exec(c)
                .await?;
        }
        if let Some(on) = accepted.filter(|d| *d <= today) {
            let late = on > deadline(year);
            village_acceptance::ActiveModel {
                village_id: Set(v.id),
                accepted_on: Set(on),
                note: Set(if late {
                    "超市招牌更换后补验，已达到建设标准".into()
                } else {
                    "现场查看“六有”齐全，台账规范，验收合格".into()
                }),
                accepted_by: Set(admin),
                recorded_at: Set(china_midnight(on) + chrono::Duration::hours(17)),
                ..Default::default()
            }
            .insert(c)
            .await?;
        }
        if !AWARENESS_SHORT.contains(&suffix) {
            household::Entity::update_many()
                .col_expr(household::Column::Aware, Expr::value(true))
                .filter(household::Column::VillageId.eq(v.id))
                .filter(household::Column::Resident.eq(true))
                .exec(c)
                .await?;
        }
        // Scores of every finished month of the year: mostly 88-97.
        let mut scores = Vec::new();
        let last = previous_month(month_key(today));
        for m in 1..=12u32 {
            let month = year * 100 + m as i32;
            if month > last {
                break;
            }
            // About one month in eight is at or under the line of 90.
            let tenths = if rng.chance(12) {
                rng.range_i32(880, 900)
            } else {
                rng.range_i32(901, 972)
            };
            let entered = china_midnight(
                NaiveDate::from_ymd_opt(year, m, 1).expect("date") + chrono::Months::new(1),
            ) + chrono::Duration::days(4);
            scores.push(living_score::ActiveModel {
                village_id: Set(v.id),
                month: Set(month),
                score_tenths: Set(tenths),
                entered_by: Set(admin),
                entered_at: Set(entered.min(now)),
                ..Default::default()
            });
        }
        if !scores.is_empty() {
            living_score::Entity::insert_many(scores).exec(c).await?;
        }
        if suffix == FLAGGED {
            let on = NaiveDate::from_ymd_opt(year, 6, 18).expect("date");
            village_flag::ActiveModel {
                village_id: Set(v.id),
                kind: Set(Disqualification::NegativePublicity.as_str().into()),
                occurred_on: Set(on),
                note: Set("村内垃圾清运不及时被网络媒体曝光，造成负面舆情，正在整改".into()),
                recorded_by: Set(admin),
                recorded_at: Set(china_midnight(on) + chrono::Duration::hours(2 * 24 + 10)),
                ..Default::default()
            }
            .insert(c)
            .await?;
        }
    }
    Ok(())
}
