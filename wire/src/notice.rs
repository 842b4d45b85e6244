//! What crosses the network for village notices (村务公示): the public lists and
//! notice page, and the back office's list, form, preview and attachments.
//! Writes are the village points clerk's (or the town admin's).

use domain::{NoticeFileId, NoticeId, VillageId};
use serde::{Deserialize, Serialize};

/// One notice in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeSummary {
    pub id: NoticeId,
    pub village_id: VillageId,
    pub village_name: String,
    pub category: String,
    pub title: String,
    pub pinned: bool,
    /// China time, `2026-12-05 09:00`.
    pub publish_at: String,
    /// False while a scheduled notice waits for its time (staff lists only).
    pub published: bool,
    /// Number of versions (more than one: edited after posting).
    pub versions: i32,
    pub files: i32,
}

/// An attachment (附件) of a notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeFileView {
    pub id: NoticeFileId,
    pub name: String,
    pub content_type: String,
    pub bytes: i64,
    /// "856 KB".
    pub size_label: String,
    /// "PDF", "Excel" or "图片".
    pub kind_label: String,
    pub is_image: bool,
}

impl NoticeFileView {
    /// Where the file is downloaded from.
    pub fn href(&self) -> String {
        format!("/notice-file/{}", self.id)
    }
}

/// An earlier version of a notice (修改记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeVersionView {
    pub version: i32,
    pub title: String,
    /// Rendered on the server from Markdown, safe to insert.
    pub body_html: String,
    pub edited_at: String,
}

/// A notice's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeDetail {
    pub id: NoticeId,
    pub village_id: VillageId,
    pub village_name: String,
    pub category: String,
    pub pinned: bool,
    pub publish_at: String,
    pub published: bool,
    pub title: String,
    /// The current version's body, rendered safely.
    pub body_html: String,
    pub version: i32,
    pub edited_at: String,
    /// Earlier versions, newest first.
    pub history: Vec<NoticeVersionView>,
    pub files: Vec<NoticeFileView>,
    /// Whether the caller may edit it (shows an edit link).
    pub may_edit: bool,
}

/// A notice in the back office's form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeEditView {
    pub id: NoticeId,
    pub form: NoticeForm,
    pub published: bool,
    pub version: i32,
    pub files: Vec<NoticeFileView>,
}

/// What the form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct NoticeForm {
    pub category: String,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub pinned: bool,
    /// `2026-12-05T09:00` (China time); `None` or empty: now.
    pub publish_at: Option<String>,
}
