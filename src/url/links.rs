//! Links to the Hub, built only from encoded ids: data never chooses the
//! host or the scheme.

use super::codec::encode;

const HUB: &str = "https://huggingface.co";

/// Encodes each `/`-separated segment, keeping the separators.
fn path(id: &str) -> String {
    id.split('/').map(segment).collect::<Vec<_>>().join("/")
}

/// One path segment. A segment of dots only (`.`, `..`) would climb out of
/// `/spaces/`, and URL parsers read `%2E` as a dot too, so each of its dots
/// is encoded twice (`%252E`): the Hub then looks up a name of dots and
/// answers "not found" instead of another page.
fn segment(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b == b'.') {
        "%252E".repeat(text.len())
    } else {
        encode(text)
    }
}

pub fn space(id: &str) -> String {
    format!("{HUB}/spaces/{}", path(id))
}

pub fn author(name: &str) -> String {
    format!("{HUB}/{}", segment(name))
}

pub fn model(id: &str) -> String {
    format!("{HUB}/{}", path(id))
}

pub fn dataset(id: &str) -> String {
    format!("{HUB}/datasets/{}", path(id))
}

/// `https://<domain>` when `domain` is a plain DNS name (letters, digits,
/// hyphens, at least two labels), else `None`: a custom domain from the
/// data must not smuggle in a scheme, a path, a port or markup.
pub fn custom_domain(domain: &str) -> Option<String> {
    let domain = domain.trim_end_matches('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let valid = domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    valid.then(|| format!("https://{}", domain.to_ascii_lowercase()))
}

/// `page_url` with `embed=<what>` added to its query, before any
/// `#fragment` (after it, the parameter would never reach the app), and
/// replacing an `embed` the page already had.
pub fn with_embed(page_url: &str, what: &str) -> String {
    let (before_fragment, fragment) = match page_url.split_once('#') {
        Some((head, fragment)) => (head, Some(fragment)),
        None => (page_url, None),
    };
    let (base, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    let mut pairs: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && *pair != "embed" && !pair.starts_with("embed="))
        .collect();
    let embed = format!("embed={}", encode(what));
    pairs.push(&embed);
    let mut out = format!("{base}?{}", pairs.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    /// Where a browser goes when the link is followed.
    fn resolved(link: &str) -> String {
        Url::parse(link).unwrap().to_string()
    }

    #[test]
    fn dot_segments_never_lead_to_another_hub_page() {
        for (link, stays_under) in [
            (space("../../logout"), "https://huggingface.co/spaces/"),
            (
                space("attacker/../../../datasets/evil/2"),
                "https://huggingface.co/spaces/attacker/",
            ),
            (space("./."), "https://huggingface.co/spaces/"),
            (space("%2E%2E/%2e./x"), "https://huggingface.co/spaces/"),
            (model("../logout"), "https://huggingface.co/%252E%252E/"),
            (dataset("../../logout"), "https://huggingface.co/datasets/"),
            (author(".."), "https://huggingface.co/%252E%252E"),
        ] {
            let followed = resolved(&link);
            assert!(followed.starts_with(stays_under), "{link} -> {followed}");
            // The browser goes exactly where the link says: no segment was
            // a dot segment, so none was removed.
            assert_eq!(followed, link);
        }
        assert_eq!(
            resolved(&space("../../logout")),
            "https://huggingface.co/spaces/%252E%252E/%252E%252E/logout"
        );
        assert_eq!(resolved(&author("..")), "https://huggingface.co/%252E%252E");
        assert_ne!(resolved(&author(".")), "https://huggingface.co/");
        // Dots inside a name are ordinary characters.
        assert_eq!(space("a/b.c..d"), "https://huggingface.co/spaces/a/b.c..d");
    }

    #[test]
    fn embed_goes_before_the_fragment() {
        assert_eq!(
            with_embed("https://x.example/app/?sdk=gradio#top", "search"),
            "https://x.example/app/?sdk=gradio&embed=search#top"
        );
        assert_eq!(
            with_embed("https://x.example/", "chart-sdk"),
            "https://x.example/?embed=chart-sdk"
        );
        assert_eq!(
            with_embed("https://x.example/?embed=chart-sdk&q=a#a?b&c", "search"),
            "https://x.example/?q=a&embed=search#a?b&c"
        );
        let link = with_embed("https://x.example/?q=a#frag", "search");
        let parsed = Url::parse(&link).unwrap();
        assert_eq!(parsed.query(), Some("q=a&embed=search"));
        assert_eq!(parsed.fragment(), Some("frag"));
    }

    #[test]
    fn ids_are_encoded_into_hub_paths() {
        assert_eq!(
            space("user/my-space"),
            "https://huggingface.co/spaces/user/my-space"
        );
        assert_eq!(
            space("\"><img src=x onerror=alert(1)>/x"),
            "https://huggingface.co/spaces/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E/x"
        );
        assert_eq!(
            author("javascript:alert(1)"),
            "https://huggingface.co/javascript%3Aalert%281%29"
        );
        assert_eq!(dataset("mnist"), "https://huggingface.co/datasets/mnist");
        assert_eq!(model("a/b c"), "https://huggingface.co/a/b%20c");
    }

    #[test]
    fn custom_domains_must_be_plain_host_names() {
        assert_eq!(
            custom_domain("Demo.Example.com").as_deref(),
            Some("https://demo.example.com")
        );
        assert_eq!(
            custom_domain("xn--bcher-kva.example").as_deref(),
            Some("https://xn--bcher-kva.example")
        );
        for bad in [
            "javascript:alert(1)",
            "evil.example/\"><script>",
            "https://ok.example",
            "ok.example:8080",
            "user@ok.example",
            "localhost",
            "",
            "-bad.example",
            "a..example",
            "ok.example\u{202e}",
        ] {
            assert_eq!(custom_domain(bad), None, "{bad}");
        }
    }
}
