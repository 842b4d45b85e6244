//! The one way a server function reads an upload: a multipart form
//! (`input = MultipartFormData`, as in the leptos `server_fns_axum` example)
//! of text fields and at most one file. Every part is bounded while it
//! arrives, so a body that is too large is refused before it is held.
//! The browser side is `components::upload`.

use server_fn::codec::MultipartData;

use crate::error::AppError;

/// The largest text field, in bytes: above every text limit of the domain
/// (`MAX_LONG_TEXT` characters of up to 4 bytes), so the service still
/// says which field is too long; only junk is refused here.
const MAX_TEXT_FIELD: usize = 4 * crate::domain::text::MAX_LONG_TEXT;
/// The most text fields a form may have (the largest form has 11).
const MAX_TEXT_FIELDS: usize = 32;

/// Which form field holds the file, and how large it may be.
pub(crate) struct FileField {
    /// The field's name (`photo`, `file`, `minutes`).
    pub name: &'static str,
    /// The largest file in bytes.
    pub max: usize,
    /// What a user is told when the file is larger.
    pub too_large: fn() -> AppError,
}

/// A file received in a form.
#[derive(Default)]
pub(crate) struct UploadedFile {
    /// The name the browser gave it (may be empty).
    pub name: String,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// A multipart form, read once.
pub(crate) struct UploadForm {
    texts: Vec<(String, String)>,
    file: Option<UploadedFile>,
}

impl UploadForm {
    /// Reads the whole form: the text fields, and the file in `file.name`
    /// (bounded by `file.max`). Fields of other names are skipped.
    pub async fn read(data: MultipartData, file: FileField) -> Result<Self, AppError> {
        let mut form = data.into_inner().ok_or(AppError::Internal)?;
        let broken = |_| AppError::invalid("上传中断，请重试");
        let mut out = UploadForm {
            texts: Vec::new(),
            file: None,
        };
        while let Some(mut field) = form.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_string();
            let is_file = name == file.name;
            let max = if is_file { file.max } else { MAX_TEXT_FIELD };
            let mut bytes = Vec::new();
            let file_name = field.file_name().unwrap_or_default().to_string();
            while let Some(chunk) = field.chunk().await.map_err(broken)? {
                if bytes.len() + chunk.len() > max {
                    return Err(if is_file {
                        (file.too_large)()
                    } else {
                        AppError::invalid("表单内容太长")
                    });
                }
                bytes.extend_from_slice(&chunk);
            }
            if is_file {
                out.file = Some(UploadedFile {
                    name: file_name,
                    bytes,
                });
            } else {
                if out.texts.len() >= MAX_TEXT_FIELDS {
                    return Err(AppError::invalid("表单内容太多"));
                }
                let text =
                    String::from_utf8(bytes).map_err(|_| AppError::invalid("表单内容不是文字"))?;
                out.texts.push((name, text));
            }
        }
        Ok(out)
    }

    /// The text field `name` as sent ("" when missing).
    pub fn text(&self, name: &str) -> &str {
        self.texts
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, t)| t.as_str())
    }

    /// The text field `name` as an owned string, as sent.
    pub fn string(&self, name: &str) -> String {
        self.text(name).to_string()
    }

    /// The id in the text field `name`, typed by `id` (`VillageId`,
    /// `GoodsId`...); `None` when missing or not a number.
    pub fn id<T>(&self, name: &str, id: fn(i32) -> T) -> Option<T> {
        self.text(name).trim().parse().ok().map(id)
    }

    /// Every text field, to check them all against one limit.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|(_, t)| t.as_str())
    }

    /// The file, if one was sent.
    pub fn take_file(&mut self) -> Option<UploadedFile> {
        self.file.take()
    }

    /// The file's bytes; empty when none was sent.
    pub fn take_bytes(&mut self) -> Vec<u8> {
        self.take_file().unwrap_or_default().bytes
    }
}

/// A photo: the `photo` field, at most 12 MB.
pub(crate) fn photo() -> FileField {
    FileField {
        name: "photo",
        max: crate::server::evidence::MAX_UPLOAD,
        too_large: || AppError::invalid("照片太大（最大 12 MB）"),
    }
}

/// A document (PDF, xlsx, picture): the `file` field, at most 10 MB.
pub(crate) fn document() -> FileField {
    FileField {
        name: "file",
        max: crate::domain::notice::MAX_FILE,
        too_large: || crate::domain::notice::NoticeError::FileTooLarge.into(),
    }
}
