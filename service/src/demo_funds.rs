//! The demo town's fund ledger (资金台账): every village has the 7,000 yuan
//! district subsidy registered in March 2026, its first tranche paid in
//! April, its second paid in August/September (after acceptance) for all
//! but two villages; spending on goods and the supermarket over the months,
//! some with a voucher photo. One village paid for training out of the
//! subsidy (a warning), one holds the district award (share met), another
//! the town award with under 60% on the points system (a warning). Dates
//! later than today are left out, so the data stays plausible; everything
//! else is fixed, so the demo is the same on every load.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};

use super::entities::{fund, fund_payment, fund_spending};
use super::Db;
use domain::funds::{FundKind, SpendCategory};

/// Villages (index among the taking-part ones) whose second tranche is not
/// paid yet: they are the late ones of the acceptance demo.
pub const UNPAID_SECOND: [usize; 2] = [6, 12];
/// The village that spent some subsidy on training.
pub const OFF_PURPOSE: usize = 2;
/// The village holding the district demonstration award.
pub const DISTRICT_AWARD: usize = 0;
/// The village holding the town demonstration award (share under 60%).
pub const TOWN_AWARD: usize = 4;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).expect("valid demo date")
}

/// The day the demo pays a village's second tranche (after the acceptance
/// day the acceptance demo should give it: on or before 15 August for most).
pub fn second_tranche_day(i: usize) -> NaiveDate {
    day(8, 18) + Duration::days(2 * i as i64)
}

/// A small generated voucher picture (a receipt-like striped card).
fn voucher_jpeg(seed: usize) -> Vec<u8> {
    let tint = (seed * 37 % 120) as u8;
    let img = image::RgbImage::from_fn(240, 160, |x, y| {
        if y % 20 < 3 && x > 20 && x < 220 {
            image::Rgb([60, 60, 60])
        } else if x < 8 || y < 8 || x > 231 || y > 151 {
            image::Rgb([200, 40, 40])
        } else {
            image::Rgb([250, 246 - tint / 4, 230 - tint / 2])
        }
    });
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 70);
    image::DynamicImage::ImageRgb8(img)
        .write_with_encoder(encoder)
        .expect("encode demo voucher");
    out
}

struct Ctx<'a, C> {
    c: &'a C,
    db: &'a Db,
    admin: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
}

impl<C: ConnectionTrait> Ctx<'_, C> {
    async fn fund(
        &self,
        village: i32,
        kind: FundKind,
        on: NaiveDate,
        note: &str,
    ) -> Result<Option<fund::Model>, DbErr> {
        if on > self.today {
            return Ok(None);
        }
        let f = fund::ActiveModel {
            village_id: Set(village),
            kind: Set(kind.as_str().into()),
            granted_fen: Set(kind.standard_fen()),
            granted_on: Set(on),
            note: Set(note.into()),
            created_by: Set(self.admin),
            created_at: Set(self.now),
            ..Default::default()
        }
        .insert(self.c)
        .await?;
        Ok(Some(f))
    }

    async fn pay(&self, f: &fund::Model, tranche: i32, on: NaiveDate) -> Result<(), DbErr> {
        if on > self.today {
            return Ok(());
        }
        let kind = FundKind::parse(&f.kind).unwrap_or(FundKind::Subsidy);
        fund_payment::ActiveModel {
            fund_id: Set(f.id),
            village_id: Set(f.village_id),
            tranche: Set(tranche),
            amount_fen: Set(kind.tranche_fen()),
            paid_on: Set(on),
            note: Set("区财政拨付".into()),
            reverses: Set(None),
            reason: Set(None),
            recorded_by: Set(self.admin),
            recorded_at: Set(self.now),
            ..Default::default()
        }
        .insert(self.c)
        .await?;
        Ok(())
    }

    async fn spend(
        &self,
        f: &fund::Model,
        on: NaiveDate,
        yuan: i64,
        category: SpendCategory,
        description: &str,
        photo: Option<usize>,
    ) -> Result<Option<fund_spending::Model>, DbErr> {
        if on > self.today {
            return Ok(None);
        }
        let voucher = match photo {
            Some(seed) => Some(
                super::uploads::write(self.db, "funds", f.village_id, "jpg", &voucher_jpeg(seed))
                    .await
                    .map_err(|e| DbErr::Custom(e.to_string()))?,
            ),
            None => None,
        };
        let s = fund_spending::ActiveModel {
            fund_id: Set(f.id),
            village_id: Set(f.village_id),
            spent_on: Set(on),
            amount_fen: Set(yuan * 100),
            category: Set(category.as_str().into()),
            description: Set(description.into()),
            voucher_path: Set(voucher),
            reverses: Set(None),
            reason: Set(None),
            recorded_by: Set(self.admin),
            recorded_at: Set(self.now),
            ..Default::default()
        }
        .insert(self.c)
        .await?;
        Ok(Some(s))
    }
}

/// Loads the funds of the taking-part villages (ids in the town's order).
pub async fn load<C: ConnectionTrait>(
    c: &C,
    db: &Db,
    villages: &[i32],
    admin: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let cx = Ctx {
        c,
        db,
        admin,
        today: domain::time::china_date(now),
        now,
    };
    use SpendCategory::*;
    for (i, &v) in villages.iter().enumerate() {
        let Some(sub) = cx
            .fund(v, FundKind::Subsidy, day(3, 16), "2026 年度积分制区级补助")
            .await?
        else {
            continue;
        };
        cx.pay(&sub, 1, day(4, 20) + Duration::days((i % 8) as i64))
            .await?;
        let second = !UNPAID_SECOND.contains(&i);
        if second {
            cx.pay(&sub, 2, second_tranche_day(i)).await?;
        }
        let k = i as i64;
        cx.spend(
            &sub,
            day(5, 8) + Duration::days(k % 5),
            1_200 + 40 * k,
            Goods,
            "首批积分超市商品：洗衣粉、牙膏、毛巾等",
            Some(i),
        )
        .await?;
        cx.spend(
            &sub,
            day(5, 26),
            600 + 20 * (k % 4),
            Supermarket,
            "积分超市统一标识标牌制作安装",
            (i % 2 == 0).then_some(i + 1),
        )
        .await?;
        cx.spend(
            &sub,
            day(7, 6) + Duration::days(k % 6),
            900 + 30 * (k % 5),
            Goods,
            "补货：食用油、大米、洗洁精",
            (i % 3 == 0).then_some(i + 2),
        )
        .await?;
        if i == OFF_PURPOSE {
            cx.spend(
                &sub,
                day(7, 22),
                800,
                Training,
                "积分管理员培训会场地及资料费",
                Some(i + 3),
            )
            .await?;
        }
        if second {
            cx.spend(
                &sub,
                second_tranche_day(i) + Duration::days(12),
                1_500 + 25 * (k % 7),
                Goods,
                "秋季补货：洗衣液、纸巾、蚊香",
                (i % 2 == 1).then_some(i + 4),
            )
            .await?;
        }
        if i == DISTRICT_AWARD {
            if let Some(a) = cx
                .fund(
                    v,
                    FundKind::DistrictAward,
                    day(10, 9),
                    "2026 年度区级示范村奖补",
                )
                .await?
            {
                cx.pay(&a, 1, day(10, 9)).await?;
                cx.spend(
                    &a,
                    day(10, 20),
                    12_000,
                    Goods,
                    "示范村积分超市扩充商品",
                    Some(40),
                )
                .await?;
                cx.spend(
                    &a,
                    day(10, 28),
                    6_000,
                    Supermarket,
                    "积分超市货架及展示墙",
                    None,
                )
                .await?;
                cx.spend(
                    &a,
                    day(11, 5),
                    8_000,
                    Environment,
                    "人居环境整治：垃圾分类亭",
                    None,
                )
                .await?;
            }
        }
        if i == TOWN_AWARD {
            if let Some(a) = cx
                .fund(
                    v,
                    FundKind::TownAward,
                    day(10, 12),
                    "2026 年度镇级示范村奖补",
                )
                .await?
            {
                cx.pay(&a, 1, day(10, 12)).await?;
                cx.spend(
                    &a,
                    day(10, 25),
                    2_500,
                    Goods,
                    "示范村积分超市补货",
                    Some(41),
                )
                .await?;
                cx.spend(
                    &a,
                    day(11, 3),
                    4_500,
                    Collective,
                    "村集体经济：柑橘苗采购",
                    None,
                )
                .await?;
            }
        }
    }
    Ok(())
}
