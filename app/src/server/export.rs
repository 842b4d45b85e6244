//! Excel downloads (导出 Excel): plain axum handlers, since a browser
//! download is a GET of a file, not a server-function call.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use http::{header, HeaderMap, StatusCode};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::http::AppState;
use super::{auth, publication};
use crate::api::types::MonthLedgerView;
use crate::domain::VillageId;
use crate::error::AppError;

/// `GET /export/ledger/{village}/{month}`: both ledgers of a month as .xlsx.
/// A published month is public; an unpublished one only for those who run
/// the village's back office.
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    Path((village, month)): Path<(i32, i32)>,
    headers: HeaderMap,
) -> Response {
    let village = VillageId(village);
    let view = async {
        match publication::public_month(&state.db, village, month).await {
            Err(AppError::NotFound(_)) => {}
            published => return published,
        }
        let caller = auth::caller_from_headers(&state.db, &headers, Utc::now()).await?;
        if !caller.may_record_points(village) {
            return Err(AppError::Forbidden);
        }
        publication::office_month(&state.db, village, month).await
    }
    .await;
    let view = match view {
        Ok(v) => v,
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            return (status, e.to_string()).into_response();
        }
    };
    match workbook(&view) {
        Ok(bytes) => {
            let name = format!(
                "{}{}台账.xlsx",
                view.ledger.village,
                view.ledger.month_label()
            );
            (
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!(
                            "attachment; filename=\"ledger-{}-{}.xlsx\"; filename*=UTF-8''{}",
                            village.0,
                            month,
                            percent_encode(&name)
                        ),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!("xlsx export failed: {e}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Internal.to_string(),
            )
                .into_response()
        }
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
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
