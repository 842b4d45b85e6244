//! The one way the browser sends an upload: a `FormData` of text fields
//! and at most one file, posted to a server function with
//! `input = MultipartFormData` (as in the leptos `server_fns_axum`
//! example). The server reads it with `api::upload::UploadForm`.

use std::cell::RefCell;

use web_sys::wasm_bindgen::JsCast;
use web_sys::{File, FormData, HtmlInputElement};

/// The form to send: the text fields in order, then the file (with its
/// name) under the field the server function reads.
pub fn upload_form(fields: &[(&str, &str)], file: Option<(&str, &File)>) -> Option<FormData> {
    let form = FormData::new().ok()?;
    for (name, value) in fields {
        form.append_with_str(name, value).ok()?;
    }
    if let Some((name, file)) = file {
        form.append_with_blob_and_filename(name, file, &file.name())
            .ok()?;
    }
    Some(form)
}

/// The files picked in the file input an event came from. The input is
/// cleared, so that picking the same file again counts.
pub fn picked_files(ev: &leptos::ev::Event) -> Vec<File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = input
        .files()
        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
        .unwrap_or_default();
    input.set_value("");
    files
}

/// The first file picked in the file input an event came from (the input
/// is cleared, as in [`picked_files`]).
pub fn picked_file(ev: &leptos::ev::Event) -> Option<File> {
    picked_files(ev).into_iter().next()
}

thread_local! {
    /// Files picked now and sent later, by slot. A browser `File` must stay
    /// on the thread that made it, so it lives here rather than in the
    /// reactive graph (which the server may drop on another thread); the
    /// server never holds any.
    static PICKED: RefCell<Vec<(&'static str, u32, File)>> = const { RefCell::new(Vec::new()) };
}

/// The files a form holds until it is sent (a voucher photo, the minutes
/// of a meeting, a notice's attachments, a spreadsheet to import), each
/// under a key the page chooses.
#[derive(Clone, Copy, Debug)]
pub struct PickedFiles(&'static str);

impl PickedFiles {
    /// The files of the form named `slot`, empty: a form starts without any.
    pub fn new(slot: &'static str) -> Self {
        let picked = PickedFiles(slot);
        picked.clear();
        picked
    }

    /// Holds `file` as the form's only file (none when `None`).
    pub fn set(self, file: Option<File>) {
        self.clear();
        if let Some(file) = file {
            self.push(0, file);
        }
    }

    /// The form's first file.
    pub fn get(self) -> Option<File> {
        self.all().into_iter().next().map(|(_, f)| f)
    }

    /// Adds a file under `key`.
    pub fn push(self, key: u32, file: File) {
        PICKED.with(|p| p.borrow_mut().push((self.0, key, file)));
    }

    /// Every file held, with its key, in the order picked.
    pub fn all(self) -> Vec<(u32, File)> {
        PICKED.with(|p| {
            p.borrow()
                .iter()
                .filter(|(slot, _, _)| *slot == self.0)
                .map(|(_, k, f)| (*k, f.clone()))
                .collect()
        })
    }

    /// Lets go of the file under `key`.
    pub fn remove(self, key: u32) {
        PICKED.with(|p| {
            p.borrow_mut()
                .retain(|(slot, k, _)| !(*slot == self.0 && *k == key))
        });
    }

    /// Lets go of every file.
    pub fn clear(self) {
        PICKED.with(|p| p.borrow_mut().retain(|(slot, _, _)| *slot != self.0));
    }
}
