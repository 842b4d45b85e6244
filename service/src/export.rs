//! Excel downloads (导出 Excel): plain axum handlers, since a browser
//! download is a GET of a file, not a server-function call.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use http::header;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::files::{HttpError, RouteCaller};
use super::{publication, Db};
use domain::VillageId;
use wire::dashboard::TownYear;
use wire::evaluation::Evaluation;
use wire::types::MonthLedgerView;
use wire::AppError;

/// `GET /export/ledger/{village}/{month}`: both ledgers of a month as .xlsx.
/// A published month is public; an unpublished one only for those who run
/// the village's back office.
pub async fn ledger_xlsx(
    caller: RouteCaller,
    State(db): State<Db>,
    Path((village, month)): Path<(i32, i32)>,
) -> Result<Response, HttpError> {
    let village = VillageId(village);
    let view = match publication::public_month(&db, village, month).await {
        Err(AppError::NotFound(_)) => {
            if !caller.required().await?.may_record_points(village) {
                return Err(AppError::Forbidden.into());
            }
            publication::office_month(&db, village, month).await?
        }
        published => published?,
    };
    xlsx_response(
        format!("ledger-{}-{}.xlsx", village.0, month),
        format!(
            "{}{}台账.xlsx",
            view.ledger.village,
            view.ledger.month_label()
        ),
        workbook(&view),
    )
}

/// A workbook as a download: `ascii` names it for old browsers, `name` (in
/// Chinese) for the rest.
fn xlsx_response(
    ascii: String,
    name: String,
    bytes: Result<Vec<u8>, XlsxError>,
) -> Result<Response, HttpError> {
    match bytes {
        Ok(bytes) => Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                        super::files::percent_encode(&name)
                    ),
                ),
            ],
            bytes,
        )
            .into_response()),
        Err(e) => {
            tracing::error!("xlsx export failed: {e}");
            Err(AppError::Internal.into())
        }
    }
}

/// `GET /export/dashboard/{year}`: every village's indicators month by month
/// and for the year so far (town admin).
pub async fn dashboard_xlsx(
    caller: RouteCaller,
    State(db): State<Db>,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    if !caller.required().await?.may_read_town() {
        return Err(AppError::Forbidden.into());
    }
    let town = super::dashboard::town_year(&db, year, Utc::now()).await?;
    xlsx_response(
        format!("indicators-{year}.xlsx"),
        format!("{year}年各村考核指标.xlsx"),
        dashboard_workbook(&town),
    )
}

/// `GET /export/evaluation/{year}`: the demonstration-village evaluation
/// (town admin).
pub async fn evaluation_xlsx(
    caller: RouteCaller,
    State(db): State<Db>,
    Path(year): Path<i32>,
) -> Result<Response, HttpError> {
    if !caller.required().await?.may_read_town() {
        return Err(AppError::Forbidden.into());
    }
    let ev = super::evaluation::evaluation(&db, year, Utc::now()).await?;
    xlsx_response(
        format!("evaluation-{year}.xlsx"),
        format!("{year}年示范村评选.xlsx"),
        evaluation_workbook(&ev),
    )
}

/// One sheet: the ranked villages on the six criteria, the ruled-out with
/// the reason, then the year's nominations.
pub fn evaluation_workbook(ev: &Evaluation) -> Result<Vec<u8>, XlsxError> {
    use domain::evaluation::CRITERIA;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet().set_name("示范村评选")?;
    ws.write_string_with_format(
        0,
        0,
        format!("{}年示范村评选（1月至今 {} 个月）", ev.year, ev.months),
        &bold,
    )?;
    let mut heads = vec!["名次".to_string(), "村（社区）".to_string()];
    for c in CRITERIA {
        heads.push(c.to_string());
        heads.push("是否达到".into());
    }
    heads.extend(["验收日期".to_string(), "一票否决".to_string()]);
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, h, &bold)?;
    }
    let mut r = 3;
    for row in &ev.rows {
        match row.rank {
            Some(n) => ws.write_number(r, 0, f64::from(n))?,
            None => ws.write_string(r, 0, "不参评")?,
        };
        ws.write_string(r, 1, &row.name)?;
        for (i, (text, ok)) in row.criteria.shown().iter().enumerate() {
            let c = 2 + 2 * i as u16;
            ws.write_string(r, c, text)?;
            ws.write_string(r, c + 1, if *ok { "达到" } else { "未达到" })?;
        }
        ws.write_string(r, 14, row.accepted_on.as_deref().unwrap_or("未验收"))?;
        let flags: Vec<String> = row
            .flags
            .iter()
            .map(|f| format!("{}（{}）{}", f.label, f.occurred_on, f.note))
            .collect();
        ws.write_string(r, 15, flags.join("；"))?;
        r += 1;
    }
    r += 1;
    ws.write_string_with_format(r, 0, "本年度提名", &bold)?;
    for n in &ev.nominations {
        r += 1;
        ws.write_string(r, 0, &n.level_label)?;
        ws.write_string(r, 1, &n.village_name)?;
        ws.write_string(
            r,
            2,
            format!("{} 由{}提名 {}", n.nominated_at, n.nominated_by, n.note),
        )?;
    }
    ws.set_column_width(1, 12.0)?;
    for c in 0..6u16 {
        ws.set_column_width(2 + 2 * c, 22.0)?;
    }
    wb.save_to_buffer()
}

/// Two sheets: each village's months, and the year so far, every indicator
/// with its verdict as the dashboard shows it.
pub fn dashboard_workbook(town: &TownYear) -> Result<Vec<u8>, XlsxError> {
    use domain::evaluation::Indicator;
    use wire::dashboard::{cell, span_facts, Span};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let verdict = |met: Option<bool>| match met {
        Some(true) => "达标",
        Some(false) => "未达标",
        None => "—",
    };
    for (sheet, monthly) in [("各月指标", true), ("全年累计", false)] {
        let ws = wb.add_worksheet().set_name(sheet)?;
        ws.write_string_with_format(
            0,
            0,
            format!("{}年各村积分制考核指标（{}）", town.year, sheet),
            &bold,
        )?;
        let mut heads = vec!["村（社区）", "月份"];
        for i in Indicator::ALL {
            heads.push(i.label());
            heads.push("说明");
            heads.push("是否达标");
        }
        heads.extend(["发放积分", "兑换积分", "按时公示", "逾期公示", "未公示"]);
        for (c, h) in heads.iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &bold)?;
        }
        let mut r = 3;
        for v in &town.villages {
            let spans: Vec<Span> = if monthly {
                town.months.iter().map(|m| Span::Month(*m)).collect()
            } else {
                vec![Span::Year]
            };
            for span in spans {
                let s = span_facts(town, v, span);
                ws.write_string(r, 0, &v.name)?;
                ws.write_string(r, 1, span.label(town.year))?;
                let mut c = 2;
                for i in Indicator::ALL {
                    let x = cell(i, &s);
                    ws.write_string(r, c, &x.value)?;
                    ws.write_string(r, c + 1, &x.detail)?;
                    ws.write_string(r, c + 2, verdict(x.met))?;
                    c += 3;
                }
                ws.write_number(r, c, s.awarded as f64)?;
                ws.write_number(r, c + 1, s.redeemed as f64)?;
                ws.write_number(r, c + 2, f64::from(s.postings.0))?;
                ws.write_number(r, c + 3, f64::from(s.postings.1))?;
                ws.write_number(r, c + 4, f64::from(s.postings.2))?;
                r += 1;
            }
        }
        ws.set_column_width(0, 12.0)?;
        ws.set_column_width(1, 20.0)?;
    }
    wb.save_to_buffer()
}

/// Three sheets: the points ledger, the redemption ledger, and each
/// household's month with its month-end balance; totals under each.
pub fn workbook(view: &MonthLedgerView) -> Result<Vec<u8>, XlsxError> {
    let l = &view.ledger;
    let t = &view.totals;
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let title = format!("{} {} 积分公示", l.village, l.month_label());
    let footer = match &view.published {
        Some(p) => format!("公示日期 {}，SHA-256 {}", p.published_on, p.digest),
        None => "尚未公示（预览）".to_string(),
    };

    let ws = wb.add_worksheet().set_name("积分台账")?;
    ws.write_string_with_format(0, 0, &title, &bold)?;
    let heads = [
        "日期",
        "户卡号",
        "户主",
        "积分细则",
        "事由",
        "积分",
        "记录号",
        "冲正记录号",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    let mut r = 3;
    for p in &l.points {
        ws.write_string(r, 0, &p.date)?;
        ws.write_string(r, 1, &p.card_no)?;
        ws.write_string(r, 2, &p.head_name)?;
        ws.write_string(r, 3, &p.item)?;
        ws.write_string(r, 4, &p.reason)?;
        ws.write_number(r, 5, f64::from(p.points))?;
        ws.write_number(r, 6, f64::from(p.entry))?;
        if let Some(o) = p.reverses {
            ws.write_number(r, 7, f64::from(o))?;
        }
        r += 1;
    }
    ws.write_string_with_format(r + 1, 0, "合计", &bold)?;
    ws.write_string(
        r + 1,
        1,
        format!("{} 条，加分 {}，扣分 {}", t.entries, t.awarded, t.deducted),
    )?;
    ws.write_string(r + 2, 0, &footer)?;
    for (c, w) in [12.0, 10.0, 10.0, 28.0, 36.0, 8.0, 10.0, 12.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }

    let ws = wb.add_worksheet().set_name("兑换台账")?;
    ws.write_string_with_format(0, 0, &title, &bold)?;
    for (c, h) in ["日期", "小票号", "户卡号", "户主", "兑换商品", "积分"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    let mut r = 3;
    for x in &l.redemptions {
        ws.write_string(r, 0, &x.date)?;
        ws.write_string(r, 1, &x.receipt_no)?;
        ws.write_string(r, 2, &x.card_no)?;
        ws.write_string(r, 3, &x.head_name)?;
        ws.write_string(r, 4, &x.goods)?;
        ws.write_number(r, 5, x.points as f64)?;
        r += 1;
    }
    ws.write_string_with_format(r + 1, 0, "合计", &bold)?;
    ws.write_string(r + 1, 1, format!("{} 笔，{} 分", t.redemptions, t.redeemed))?;
    ws.write_string(r + 2, 0, &footer)?;
    for (c, w) in [12.0, 18.0, 10.0, 10.0, 30.0, 8.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    let ws = wb.add_worksheet().set_name("农户月末积分")?;
    ws.write_string_with_format(0, 0, &title, &bold)?;
    let heads = [
        "村民小组",
        "户卡号",
        "户主",
        "本月加分",
        "本月扣分",
        "本月兑换",
        "月末余额",
    ];
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, h) in l.households.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write_string(r, 0, &h.group)?;
        ws.write_string(r, 1, &h.card_no)?;
        ws.write_string(r, 2, &h.head_name)?;
        ws.write_number(r, 3, h.awarded as f64)?;
        ws.write_number(r, 4, h.deducted as f64)?;
        ws.write_number(r, 5, h.redeemed as f64)?;
        ws.write_number(r, 6, h.balance as f64)?;
    }
    ws.write_string(3 + l.households.len() as u32 + 1, 0, &footer)?;
    for (c, w) in [10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    wb.save_to_buffer()
}
