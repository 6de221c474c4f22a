//! Links to the Hub, built only from encoded ids: data never chooses the
//! host or the scheme.

use crate::view_state::encode;

const HUB: &str = "https://huggingface.co";

/// Encodes each `/`-separated segment, keeping the separators.
fn path(id: &str) -> String {
    id.split('/').map(encode).collect::<Vec<_>>().join("/")
}

pub fn space(id: &str) -> String {
    format!("{HUB}/spaces/{}", path(id))
}

pub fn author(name: &str) -> String {
    format!("{HUB}/{}", encode(name))
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

#[cfg(test)]
mod tests {
    use super::*;

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
