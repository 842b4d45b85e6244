//! Village notices (村务公示): categories and what a notice must contain.

use chrono::{DateTime, NaiveDateTime, Utc};
use thiserror::Error;

use super::time::china_offset;

/// Notice categories, in display order (党务、村务、财务公开 and 积分公示).
pub const CATEGORIES: [&str; 5] = ["党务公开", "村务公开", "财务公开", "积分公示", "其他"];

/// The category a published month's posting goes under.
pub const POINTS_POSTING: &str = "积分公示";

/// Longest body, in characters.
pub const MAX_BODY: usize = 20_000;

/// Why a notice is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeError {
    #[error("请填写标题（不超过60个字）")]
    BadTitle,
    #[error("请选择公示类别")]
    BadCategory,
    #[error("请填写正文（不超过20000个字）")]
    BadBody,
    #[error("发布时间格式不对，请重新选择")]
    BadTime,
    #[error("只能上传 PDF、Excel（xlsx）或图片（JPG、PNG）文件")]
    BadFileType,
    #[error("文件太大（每个文件最大 10 MB）")]
    FileTooLarge,
    #[error("文件是空的，请重新选择")]
    EmptyFile,
}

/// Largest attachment, in bytes.
pub const MAX_FILE: usize = 10 * 1024 * 1024;

/// What kind of file an attachment is, from its name and first bytes (both
/// must agree, so a renamed program is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Xlsx,
    Jpeg,
    Png,
}

impl FileKind {
    /// The MIME type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    /// The extension files are stored with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Xlsx => "xlsx",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    /// Whether it is shown as a picture.
    pub fn is_image(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png)
    }
}

/// Checks an attachment: its size, and that its name and content are a PDF,
/// an xlsx workbook or a JPG/PNG picture.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<FileKind, NoticeError> {
    if bytes.is_empty() {
        return Err(NoticeError::EmptyFile);
    }
    if bytes.len() > MAX_FILE {
        return Err(NoticeError::FileTooLarge);
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = match ext.as_str() {
        "pdf" if bytes.starts_with(b"%PDF-") => FileKind::Pdf,
        // An xlsx workbook is a zip archive.
        "xlsx" if bytes.starts_with(b"PK\x03\x04") => FileKind::Xlsx,
        "jpg" | "jpeg" if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) => FileKind::Jpeg,
        "png" if bytes.starts_with(b"\x89PNG\r\n\x1a\n") => FileKind::Png,
        _ => return Err(NoticeError::BadFileType),
    };
    Ok(kind)
}

/// An uploaded file's name as shown: the last part of the path a browser
/// sent, without control characters, at most 80 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    let clean = clean.trim();
    if clean.chars().count() > 80 {
        // Keep the extension.
        let ext = clean.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
        let head: String = clean.chars().take(70).collect();
        format!("{head}….{ext}")
    } else if clean.is_empty() {
        "附件".into()
    } else {
        clean.into()
    }
}

/// A file size for people: "856 KB", "2.4 MB".
pub fn size_label(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// Reads the publish time a form sends (`2026-12-05T09:00`, China time);
/// empty means now.
pub fn parse_publish_at(
    input: Option<&str>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, NoticeError> {
    let text = input.map(str::trim).unwrap_or_default();
    if text.is_empty() {
        return Ok(now);
    }
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .map_err(|_| NoticeError::BadTime)?;
    local
        .and_local_timezone(china_offset())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(NoticeError::BadTime)
}

/// A moment in China time as the form's field wants it (`2026-12-05T09:00`).
pub fn input_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// A moment in China time for readers (`2026-12-05 09:00`).
pub fn display_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&china_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Checks a notice's title, category and body; returns them trimmed.
pub fn check_notice(
    title: &str,
    category: &str,
    body: &str,
) -> Result<(String, String, String), NoticeError> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 60 {
        return Err(NoticeError::BadTitle);
    }
    if !CATEGORIES.contains(&category) {
        return Err(NoticeError::BadCategory);
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY {
        return Err(NoticeError::BadBody);
    }
    Ok((title.into(), category.into(), body.into()))
}

/// The title and body of the 积分公示 notice posted with a month's ledger.
pub fn month_posting(village: &str, month_label: &str, link: &str) -> (String, String) {
    (
        format!("{village}{month_label}积分台账公示"),
        format!(
            "{village}{month_label}的积分台账和兑换台账已公示，内容已固定，不再改动。\n\n[查看{month_label}台账]({link})\n\n如有异议，请在公示期内向村积分管理员提出申诉。"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_needs_a_title_a_known_category_and_a_body() {
        assert_eq!(
            check_notice(" 关于清洁日 ", "村务公开", " 正文 "),
            Ok(("关于清洁日".into(), "村务公开".into(), "正文".into()))
        );
        assert_eq!(
            check_notice("", "村务公开", "x"),
            Err(NoticeError::BadTitle)
        );
        assert_eq!(
            check_notice("t", "八卦", "x"),
            Err(NoticeError::BadCategory)
        );
        assert_eq!(check_notice("t", "其他", "  "), Err(NoticeError::BadBody));
    }

    #[test]
    fn only_pdf_xlsx_and_pictures_are_attached() {
        assert_eq!(check_file("预算.pdf", b"%PDF-1.7 ..."), Ok(FileKind::Pdf));
        assert_eq!(
            check_file("收支.XLSX", b"PK\x03\x04..."),
            Ok(FileKind::Xlsx)
        );
        assert_eq!(
            check_file("现场.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            check_file("a.png", b"\x89PNG\r\n\x1a\n.."),
            Ok(FileKind::Png)
        );
        // Wrong extension, or content that does not match it.
        assert_eq!(check_file("a.exe", b"MZ.."), Err(NoticeError::BadFileType));
        assert_eq!(check_file("a.pdf", b"MZ.."), Err(NoticeError::BadFileType));
        assert_eq!(
            check_file("a.docx", b"PK\x03\x04"),
            Err(NoticeError::BadFileType)
        );
        assert_eq!(check_file("a.pdf", b""), Err(NoticeError::EmptyFile));
        let big = vec![b'%'; MAX_FILE + 1];
        assert_eq!(check_file("a.pdf", &big), Err(NoticeError::FileTooLarge));
    }

    #[test]
    fn file_names_and_sizes_read_well() {
        assert_eq!(clean_file_name("C:\\Users\\x\\三季度.pdf"), "三季度.pdf");
        assert_eq!(clean_file_name("a\"b\n.pdf"), "ab.pdf");
        assert_eq!(clean_file_name(""), "附件");
        assert_eq!(size_label(900), "900 B");
        assert_eq!(size_label(2048), "2 KB");
        assert_eq!(size_label(5 * 1024 * 1024 / 2), "2.5 MB");
    }

    #[test]
    fn publish_times_are_china_time() {
        use chrono::TimeZone;
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
        assert_eq!(parse_publish_at(None, now), Ok(now));
        assert_eq!(parse_publish_at(Some(" "), now), Ok(now));
        let t = parse_publish_at(Some("2026-12-05T09:00"), now).unwrap();
        assert_eq!(t, Utc.with_ymd_and_hms(2026, 12, 5, 1, 0, 0).unwrap());
        assert_eq!(input_time(t), "2026-12-05T09:00");
        assert_eq!(display_time(t), "2026-12-05 09:00");
        assert_eq!(
            parse_publish_at(Some("明天"), now),
            Err(NoticeError::BadTime)
        );
    }

    #[test]
    fn the_month_posting_links_to_the_ledger() {
        let (title, body) = month_posting("沙坝村", "2026年10月", "/ledger/7/202610");
        assert_eq!(title, "沙坝村2026年10月积分台账公示");
        assert!(body.contains("(/ledger/7/202610)"));
    }
}
