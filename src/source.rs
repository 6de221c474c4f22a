//! Where the Parquet file comes from: the `data` URL parameter.

/// The upstream file on the Hub (DESIGN.md).
pub const HUB_URL: &str =
    "https://huggingface.co/datasets/jsulz/space-stats/resolve/main/spaces.parquet";
/// The sample bundled with the app, relative to the page.
pub const SAMPLE_PATH: &str = "sample.parquet";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The live Hub dataset.
    Hub,
    /// The sample shipped in `public/`.
    Sample,
    /// Any other http(s) URL the visitor asked for.
    Custom(String),
}

impl DataSource {
    /// Reads the `data` parameter. `Err` explains why a value is refused;
    /// the app then falls back to the Hub file and shows the reason.
    pub fn from_param(value: Option<&str>) -> Result<DataSource, String> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(DataSource::Hub);
        };
        if value.eq_ignore_ascii_case("sample") {
            return Ok(DataSource::Sample);
        }
        if value.len() > 2048 {
            return Err(
                "The `data` address is longer than 2,048 characters; it was ignored.".into(),
            );
        }
        let lower = value.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return Ok(DataSource::Custom(value.to_string()));
        }
        // Relative paths load from the app's own origin (fixtures in tests,
        // files deployed beside the app).
        let scheme_like = value.split_once(':').is_some_and(|(head, _)| {
            head.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if scheme_like || value.starts_with("//") {
            return Err(format!(
                "The `data` address `{}` is not an http(s) URL; it was ignored.",
                shorten(value, 80)
            ));
        }
        Ok(DataSource::Custom(value.to_string()))
    }

    /// The URL to fetch (the sample and relative paths are resolved against
    /// the page by the browser layer).
    pub fn url(&self) -> &str {
        match self {
            DataSource::Hub => HUB_URL,
            DataSource::Sample => SAMPLE_PATH,
            DataSource::Custom(url) => url,
        }
    }

    /// A short human name for the data-source panel.
    pub fn label(&self) -> String {
        match self {
            DataSource::Hub => "jsulz/space-stats on the Hugging Face Hub".into(),
            DataSource::Sample => "Bundled sample (5,000 synthetic Spaces, not real data)".into(),
            DataSource::Custom(url) => url.clone(),
        }
    }

    pub fn is_sample(&self) -> bool {
        matches!(self, DataSource::Sample)
    }

    /// The host the visitor must approve before the app downloads from it:
    /// an absolute URL on neither the Hugging Face hosts nor the page's own
    /// host (`page_host`, with its port). A shared link should not make a
    /// visitor's browser contact a stranger's server unannounced.
    pub fn host_needing_consent(&self, page_host: &str) -> Option<String> {
        let DataSource::Custom(url) = self else {
            return None;
        };
        let authority = url_authority(url)?;
        if authority.eq_ignore_ascii_case(page_host) || is_hugging_face_host(&host_only(&authority))
        {
            return None;
        }
        Some(authority.to_ascii_lowercase())
    }
}

/// Hosts the page may always connect to: its own origin and Hugging Face
/// (the dataset URL redirects to CDN hosts under hf.co).
const TRUSTED_CONNECT_SOURCES: &str =
    "'self' https://huggingface.co https://*.huggingface.co https://hf.co https://*.hf.co";

impl DataSource {
    /// The `connect-src` directive the page narrows itself to once it knows
    /// its source: the trusted hosts plus the origin of a custom absolute
    /// URL (which the visitor has approved by then).
    pub fn connect_policy(&self) -> String {
        let custom_origin = match self {
            DataSource::Custom(url) => url_authority(url)
                // The origin goes into a policy: plain host characters only.
                .filter(|a| {
                    !a.is_empty()
                        && a.chars()
                            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
                })
                .map(|authority| {
                    let scheme = url.split_once("://").map_or("https", |(s, _)| s);
                    format!(
                        " {}://{}",
                        scheme.to_ascii_lowercase(),
                        authority.to_ascii_lowercase()
                    )
                }),
            _ => None,
        };
        format!(
            "connect-src {TRUSTED_CONNECT_SOURCES}{}",
            custom_origin.unwrap_or_default()
        )
    }
}

/// `host[:port]` of an absolute http(s) URL, without any `user:pass@`
/// (which would otherwise let `https://huggingface.co@evil.example/` pass
/// for the Hub). `None` for relative URLs.
fn url_authority(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    Some(authority.to_string())
}

fn host_only(authority: &str) -> String {
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
        _ => authority,
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// huggingface.co, hf.co and their subdomains (the dataset's redirects go
/// to CDN hosts under hf.co).
fn is_hugging_face_host(host: &str) -> bool {
    ["huggingface.co", "hf.co"].iter().any(|root| {
        host == *root
            || host
                .strip_suffix(root)
                .is_some_and(|sub| sub.ends_with('.'))
    })
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_data_parameter() {
        assert_eq!(DataSource::from_param(None), Ok(DataSource::Hub));
        assert_eq!(DataSource::from_param(Some("  ")), Ok(DataSource::Hub));
        assert_eq!(
            DataSource::from_param(Some("sample")),
            Ok(DataSource::Sample)
        );
        assert_eq!(
            DataSource::from_param(Some("SAMPLE")),
            Ok(DataSource::Sample)
        );
        assert_eq!(
            DataSource::from_param(Some("https://example.org/a.parquet")),
            Ok(DataSource::Custom("https://example.org/a.parquet".into()))
        );
        assert_eq!(
            DataSource::from_param(Some("fixtures/x.parquet")),
            Ok(DataSource::Custom("fixtures/x.parquet".into()))
        );
    }

    #[test]
    fn refuses_other_schemes() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "//evil.example/x",
        ] {
            let err = DataSource::from_param(Some(bad)).unwrap_err();
            assert!(err.contains("not an http(s) URL"), "{bad}: {err}");
        }
        assert!(DataSource::from_param(Some(&"a".repeat(3000))).is_err());
    }

    #[test]
    fn asks_before_loading_from_other_hosts() {
        let page = "127.0.0.1:8080";
        let custom = |url: &str| DataSource::Custom(url.to_string());
        for trusted in [
            "https://huggingface.co/datasets/x/y/resolve/main/a.parquet",
            "https://HuggingFace.co./a.parquet",
            "https://cdn-lfs-us-1.hf.co/a.parquet",
            "https://hf.co/a.parquet",
            "http://127.0.0.1:8080/fixtures/a.parquet",
            "fixtures/a.parquet",
            "/a.parquet",
        ] {
            assert_eq!(
                custom(trusted).host_needing_consent(page),
                None,
                "{trusted}"
            );
        }
        for (url, host) in [
            ("https://example.org/a.parquet", "example.org"),
            ("https://huggingface.co@evil.example/a", "evil.example"),
            (
                "https://huggingface.co.evil.example/a",
                "huggingface.co.evil.example",
            ),
            ("https://evilhuggingface.co/a", "evilhuggingface.co"),
            ("http://127.0.0.1:9999/a.parquet", "127.0.0.1:9999"),
            ("HTTPS://Example.ORG?x", "example.org"),
        ] {
            assert_eq!(
                custom(url).host_needing_consent(page).as_deref(),
                Some(host),
                "{url}"
            );
        }
        assert_eq!(DataSource::Hub.host_needing_consent(page), None);
        assert_eq!(DataSource::Sample.host_needing_consent(page), None);
    }

    #[test]
    fn connect_policy_names_only_trusted_hosts_and_the_chosen_origin() {
        let base = "connect-src 'self' https://huggingface.co https://*.huggingface.co https://hf.co https://*.hf.co";
        assert_eq!(DataSource::Hub.connect_policy(), base);
        assert_eq!(
            DataSource::Custom("fixtures/a.parquet".into()).connect_policy(),
            base
        );
        assert_eq!(
            DataSource::Custom("HTTPS://u:p@Data.Example:8443/x.parquet?y".into()).connect_policy(),
            format!("{base} https://data.example:8443")
        );
        // Nothing from the URL can add a directive or a wildcard.
        assert_eq!(
            DataSource::Custom("https://a.example;script-src *'/x".into()).connect_policy(),
            base
        );
        assert_eq!(
            DataSource::Custom("https://*.example/x".into()).connect_policy(),
            base
        );
    }

    #[test]
    fn shortens_by_characters_not_bytes() {
        assert_eq!(shorten("ééééé", 3), "éé…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
