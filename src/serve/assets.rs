//! The page, embedded in the binary at build time so that `wirepad serve`
//! works from any directory.

use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "www/"]
struct Assets;

/// A built-in file's bytes.
pub fn get(path: &str) -> Option<std::borrow::Cow<'static, [u8]>> {
    Assets::get(path).map(|f| f.data)
}

pub async fn serve(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    match Assets::get(path) {
        Some(file) => {
            let mime = file.metadata.mimetype().to_string();
            ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "no-cache".to_string())], file.data).into_response()
        }
        None if path.starts_with("pkg/") => (
            StatusCode::NOT_FOUND,
            "wirepad: the wasm package is not built into this binary; run `make build` (or `make serve`)\n",
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "wirepad: no such file\n").into_response(),
    }
}
