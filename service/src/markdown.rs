//! Notice bodies (村务公示) are written in Markdown and rendered here, on the
//! server, safely: raw HTML is shown as plain text, and links and images may
//! only point at http(s), mailto or this site, so a body can never run a
//! script in a reader's browser.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

/// Markdown to HTML that is safe to insert into a page.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        // Shown as typed, escaped by the HTML writer.
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

/// Keeps web, mail and same-site addresses; anything else (javascript:,
/// data:, vbscript:...) becomes a dead link.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let same_site = lower.starts_with('/') && !lower.starts_with("//");
    let allowed = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:")
        || lower.starts_with('#')
        || same_site;
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn plain_markdown_renders() {
        let html = render("# 通知\n\n**明天**上午9点开会。\n\n- 带好笔\n- 准时");
        assert!(html.contains("<h1>通知</h1>"), "{html}");
        assert!(html.contains("<strong>明天</strong>"));
        assert!(html.contains("<li>带好笔</li>"));
    }

    #[test]
    fn scripts_and_raw_html_render_inert() {
        let html = render("<script>alert(1)</script>\n\n正文<img src=x onerror=alert(2)>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn only_safe_addresses_survive() {
        let html = render(
            "[坏](javascript:alert(1)) [数据](data:text/html,x) [好](https://example.cn/a) [站内](/ledger/1/202610) [外站](//evil.example/x)",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(!html.contains("//evil.example"), "{html}");
        assert!(html.contains(r#"href="https://example.cn/a""#));
        assert!(html.contains(r#"href="/ledger/1/202610""#));
        let img = render("![图](javascript:alert(1))");
        assert!(img.contains(r##"src="#""##), "{img}");
    }
}
