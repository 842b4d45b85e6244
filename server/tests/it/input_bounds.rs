//! Inputs that cost the server more than they should: a spreadsheet that
//! declares 17 billion cells, a photo that declares 900 million pixels, a
//! batch of 200,000 ids, an order of 40,000 lines, an upload without a
//! multipart boundary, arguments that do not decode, a reason of a
//! megabyte. Each is refused with a 4xx and a Chinese message, cheaply.

use crate::common;

use std::io::Cursor;
use std::time::{Duration, Instant};

use app::domain::{EntryId, HouseholdId, RuleItemId, VillageId};
use app::error::AppError;
use app::server::entities::*;
use app::server::evidence as photos;
use app::server::households as hh;
use app::server::ledger::{self, NewEntry};
use app::server::Db;
use chrono::Utc;
use common::*;
use http::{Method, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};

/// A workbook of a header, one household, and a single cell at `far`
/// (0-based row, column); a few kilobytes.
fn workbook_with_far_cell(far: (u32, u16)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, title) in ["组别", "户主姓名", "户卡号"].iter().enumerate() {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    sheet.write_string(1, 0, "一组").unwrap();
    sheet.write_string(1, 1, "远端户").unwrap();
    sheet.write_string(far.0, far.1, "x").unwrap();
    book.save_to_buffer().unwrap()
}

async fn photo_count(db: &Db) -> u64 {
    evidence::Entity::find().count(&db.conn).await.unwrap()
}

async fn household_count(db: &Db) -> u64 {
    household::Entity::find().count(&db.conn).await.unwrap()
}

#[tokio::test]
async fn a_workbook_with_a_cell_at_xfd1048576_is_refused_without_building_the_grid() {
    let db = small_town("xlsx-far-cell").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    // A1 and XFD1048576: calamine's range of it is 2^34 cells, 512 GiB.
    let file = workbook_with_far_cell((1_048_575, 16_383));
    assert!(file.len() < 16 * 1024, "{} bytes", file.len());
    let before = household_count(&db).await;
    let started = Instant::now();
    match hh::preview_import(&db, VillageId(v.id), &file).await {
        Err(AppError::Invalid(m)) => assert!(m.contains("表格太大"), "{m}"),
        other => panic!("{other:?}"),
    }
    match hh::import(&db, &admin, VillageId(v.id), "远.xlsx", &file, Utc::now()).await {
        Err(AppError::Invalid(m)) => assert!(m.contains("第 1048576 行第 16384 列"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(household_count(&db).await, before);

    // Over HTTP, both import functions answer 400 with the reason.
    let app = app_router(&db);
    let cookie = login(&app, "cun200").await;
    let village_id = v.id.to_string();
    for path in ["/api/hh_import_preview", "/api/hh_import_commit"] {
        let form = [("village", village_id.as_str())];
        let upload = Some(("file", "远.xlsx", file.as_slice()));
        let r = send(&app, post_multipart(path, &form, upload, Some(&cookie))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.body.contains("表格太大"), "{}", r.body);
    }
    assert_eq!(household_count(&db).await, before);
}

#[tokio::test]
async fn a_workbook_just_inside_the_bounds_still_imports() {
    use app::domain::households::{MAX_IMPORT_COLUMNS, MAX_IMPORT_SHEET_ROWS};
    let db = small_town("xlsx-edge").await;
    let v = village(&db, "200").await;
    let group = village_group::Entity::find()
        .all(&db.conn)
        .await
        .unwrap()
        .into_iter()
        .find(|g| g.village_id == v.id)
        .unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, title) in ["组别", "户主姓名"].iter().enumerate() {
        sheet.write_string(0, c as u16, *title).unwrap();
    }
    sheet.write_string(1, 0, &group.name).unwrap();
    sheet.write_string(1, 1, "边界户").unwrap();
    // A note in the last column allowed; formatting far away is no content.
    sheet
        .write_string(1, (MAX_IMPORT_COLUMNS - 1) as u16, "备注")
        .unwrap();
    let fmt = rust_xlsxwriter::Format::new().set_bold();
    sheet.write_blank(1_048_575, 16_383, &fmt).unwrap();
    let file = book.save_to_buffer().unwrap();
    let plan = hh::preview_import(&db, VillageId(v.id), &file)
        .await
        .unwrap();
    assert_eq!(plan.households.len(), 1, "{:?}", plan.problems);
    assert!(plan.problems.is_empty(), "{:?}", plan.problems);

    // One row too far is refused, in a CSV as in a workbook.
    let mut csv = String::from("组别,户主姓名\n");
    csv.push_str(&format!("{},远户\n", group.name));
    csv.push_str(&",\n".repeat(MAX_IMPORT_SHEET_ROWS));
    csv.push_str(",x\n");
    match hh::preview_import(&db, VillageId(v.id), csv.as_bytes()).await {
        Err(AppError::Invalid(m)) => assert!(m.contains("表格太大"), "{m}"),
        other => panic!("{other:?}"),
    }
    let wide = format!("组别,户主姓名{}\n", ",备注".repeat(MAX_IMPORT_COLUMNS));
    match hh::preview_import(&db, VillageId(v.id), wide.as_bytes()).await {
        Err(AppError::Invalid(m)) => assert!(m.contains("表格太大"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// A valid PNG of `side` x `side` one-bit grey pixels, all black; written
/// row by row, so it is built without holding the picture.
fn png_bomb(side: u32) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::One);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().unwrap();
        let mut stream = writer.stream_writer().unwrap();
        let row = vec![0u8; side.div_ceil(8) as usize];
        for _ in 0..side {
            std::io::Write::write_all(&mut stream, &row).unwrap();
        }
        stream.finish().unwrap();
    }
    out
}

#[test]
fn a_png_declaring_thirty_thousand_pixels_a_side_is_refused_before_decoding() {
    let bomb = png_bomb(30_000);
    assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
    let started = Instant::now();
    match photos::normalise(&bomb) {
        Err(AppError::Invalid(m)) => assert!(m.contains("图片尺寸过大"), "{m}"),
        other => panic!("{:?}", other.map(|(_, w, h)| (w, h))),
    }
    // Refused from the header: no time spent inflating 900 million pixels.
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    // Within the side limit but over the pixel count.
    match photos::normalise(&png_bomb(9_000)) {
        Err(AppError::Invalid(m)) => assert!(m.contains("图片尺寸过大"), "{m}"),
        other => panic!("{:?}", other.map(|(_, w, h)| (w, h))),
    }
    // An ordinary camera photo still passes.
    let img = image::RgbImage::from_pixel(4000, 3000, image::Rgb([90, 120, 60]));
    let mut photo = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut photo), image::ImageFormat::Jpeg)
        .unwrap();
    let (_, w, h) = photos::normalise(&photo).unwrap();
    assert_eq!((w, h), (1280, 960));
}

#[tokio::test]
async fn an_image_bomb_uploaded_as_evidence_is_answered_400() {
    let db = small_town("png-bomb-http").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let cookie = login(&app, "cun200").await;
    let bomb = png_bomb(30_000);
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--B0und\r\nContent-Disposition: form-data; name=\"village\"\r\n\r\n{}\r\n",
            v.id
        )
        .as_bytes(),
    );
    body.extend_from_slice(
        b"--B0und\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"b.png\"\r\nContent-Type: image/png\r\n\r\n",
    );
    body.extend_from_slice(&bomb);
    body.extend_from_slice(b"\r\n--B0und--\r\n");
    let before = photo_count(&db).await;
    let mut req = request(
        Method::POST,
        "/api/upload_evidence",
        "multipart/form-data; boundary=B0und",
        String::new(),
        Some(&cookie),
    );
    *req.body_mut() = axum::body::Body::from(body);
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("图片尺寸过大"), "{}", r.body);
    assert_eq!(photo_count(&db).await, before);
}

#[tokio::test]
async fn a_batch_of_200000_household_ids_is_refused_at_once() {
    let db = small_town("batch-huge").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let item = uncapped_item(&db, v.id, 1).await;
    let ids: Vec<HouseholdId> = (1..=200_000).map(HouseholdId).collect();
    let started = Instant::now();
    let err = ledger::record_batch(
        &db,
        &admin,
        &ids,
        RuleItemId(item.id),
        "批量",
        today(),
        None,
        Utc::now(),
    )
    .await
    .unwrap_err();
    let took = started.elapsed();
    println!("200,000 ids refused in {took:?}");
    assert!(
        matches!(&err, AppError::Invalid(m) if m.contains("一次最多录入")),
        "{err:?}"
    );
    assert!(took < Duration::from_millis(200), "{took:?}");
}

#[tokio::test]
async fn an_order_of_40000_lines_is_refused_with_a_400() {
    let db = small_town("redeem-lines").await;
    let app = app_router(&db);
    let v = village(&db, "200").await;
    let hh = funded_household(&db, v.id, "2009301", 100).await;
    let cookie = login(&app, "shop200").await;
    let lines: Vec<serde_json::Value> = (1..=40_000)
        .map(|g| serde_json::json!({ "goods": g, "quantity": 1 }))
        .collect();
    let body = serde_json::json!({ "household": hh.id, "lines": lines, "idempotency_key": "many-lines-0001" });
    let r = send(&app, post_json("/api/redeem", body, Some(&cookie))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("一单最多"), "{}", r.body);
}

#[tokio::test]
async fn arguments_that_do_not_decode_are_answered_400_in_chinese() {
    let db = small_town("undecodable").await;
    let app = app_router(&db);
    let cookie = login(&app, "admin").await;
    for (path, body) in [
        ("/api/record_batch", "{}"),
        ("/api/record_batch", "{\"households\": \"all\"}"),
        ("/api/redeem", "not json"),
    ] {
        let r = send(
            &app,
            request(
                Method::POST,
                path,
                "application/json",
                body.into(),
                Some(&cookie),
            ),
        )
        .await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{path} {body}: {}",
            r.body
        );
        assert!(r.body.contains("\"kind\":\"invalid\""), "{}", r.body);
        assert!(r.body.contains("请求参数有误"), "{}", r.body);
    }
    let r = send(
        &app,
        request(
            Method::POST,
            "/api/record_entry",
            "application/x-www-form-urlencoded",
            "household=2147483648".into(),
            Some(&cookie),
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = send(&app, get("/api/hh_list?village=abc", Some(&cookie))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
}

#[tokio::test]
async fn an_upload_without_a_multipart_boundary_is_answered_400_before_login() {
    let db = small_town("no-boundary").await;
    let app = app_router(&db);
    let cookie = login(&app, "cun200").await;
    for path in app::server::input_guard::multipart_server_fns() {
        for cookie in [None, Some(cookie.as_str())] {
            for content_type in [
                "multipart/form-data",
                "application/json",
                "multipart/form-data; boundary=",
            ] {
                let r = send(
                    &app,
                    request(Method::POST, path, content_type, "--x\r\n".into(), cookie),
                )
                .await;
                assert_eq!(
                    r.status,
                    StatusCode::BAD_REQUEST,
                    "{path} {content_type}: {}",
                    r.body
                );
                assert!(r.body.contains("上传格式有误"), "{}", r.body);
            }
        }
    }
}

#[tokio::test]
async fn a_reversal_reason_of_a_megabyte_is_refused() {
    let db = small_town("huge-reason").await;
    let v = village(&db, "200").await;
    let admin = caller(&db, "cun200").await;
    let hh = empty_household(&db, v.id, "2009401").await;
    let item = uncapped_item(&db, v.id, 3).await;
    let entry = ledger::record_entry(
        &db,
        &admin,
        NewEntry {
            household: HouseholdId(hh.id),
            member: None,
            evidence: None,
            rule_item: RuleItemId(item.id),
            reason: "打扫卫生".into(),
            occurred_on: today(),
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let huge = "错".repeat(1 << 20);
    let err = ledger::reverse_entry(&db, &admin, EntryId(entry.id), &huge, Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid(m) if m.contains("冲正原因不能超过 200 个字")),
        "{err:?}"
    );
    assert_eq!(reload(&db, hh.id).await.balance, 3, "nothing reversed");
    // The longest allowed reason is kept whole.
    let longest = "错".repeat(app::domain::text::MAX_REASON);
    let rev = ledger::reverse_entry(&db, &admin, EntryId(entry.id), &longest, Utc::now())
        .await
        .unwrap();
    assert_eq!(rev.reason, format!("冲正：{longest}"));
}

#[tokio::test]
async fn an_import_file_over_4_mb_is_refused_as_it_arrives_and_imports_nothing() {
    let db = small_town("import-too-large").await;
    let v = village(&db, "200").await;
    let app = app_router(&db);
    let cookie = login(&app, "cun200").await;
    let before = household_count(&db).await;
    let big = vec![b'a'; hh::MAX_UPLOAD_BYTES + 1];
    let village_id = v.id.to_string();
    for path in ["/api/hh_import_preview", "/api/hh_import_commit"] {
        let form = [("village", village_id.as_str())];
        let upload = Some(("file", "大.csv", big.as_slice()));
        let r = send(&app, post_multipart(path, &form, upload, Some(&cookie))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.body.contains("文件太大：请不超过 4 MB"), "{}", r.body);
    }
    assert_eq!(household_count(&db).await, before);
}
