//! Lesson markdown to HTML (pulldown-cmark), sanitised: raw HTML is dropped and only
//! http(s), mailto and relative links survive, so no script runs from a lesson pack.

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag};

fn safe_url(u: &str) -> bool {
    let lower = u.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s.to_string());
    match scheme {
        None => true,
        Some(s) => (s == "http" || s == "https" || s == "mailto") || s.contains('/') || s.contains('#') || s.contains('?'),
    }
}

/// Renders markdown to HTML that is safe to insert into the page.
pub fn to_html(md: &str) -> String {
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).filter_map(|ev| match ev {
        Event::Html(_) | Event::InlineHtml(_) => None,
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let dest = if safe_url(&dest_url) { dest_url } else { CowStr::from("#") };
            Some(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }))
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let dest = if safe_url(&dest_url) { dest_url } else { CowStr::from("#") };
            Some(Event::Start(Tag::Image { link_type, dest_url: dest, title, id }))
        }
        other => Some(other),
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn drops_scripts_and_javascript_links() {
        let html = to_html("Hi <script>alert(1)</script> [x](javascript:alert(1)) [y](https://k8s.io) `kubectl`");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("href=\"https://k8s.io\""), "{html}");
        assert!(html.contains("<code>kubectl</code>"), "{html}");
    }
}
