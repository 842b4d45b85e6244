//! Village notices (村务公示): categories and what a notice must contain.

use thiserror::Error;

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
    fn the_month_posting_links_to_the_ledger() {
        let (title, body) = month_posting("沙坝村", "2026年10月", "/ledger/7/202610");
        assert_eq!(title, "沙坝村2026年10月积分台账公示");
        assert!(body.contains("(/ledger/7/202610)"));
    }
}
