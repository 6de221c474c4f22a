//! Where the Parquet file comes from: the `data` URL parameter, resolved
//! against the page with the WHATWG URL parser (the `url` crate follows the
//! same standard as the browser's `fetch`), so consent and the connect
//! policy are decided from the origin the request really goes to.

use url::Url;

use crate::format::shorten;

/// The upstream file on the Hub (the default `data`).
pub const HUB_URL: &str =
    "https://huggingface.co/datasets/jsulz/space-stats/resolve/main/spaces.parquet";
/// The sample bundled with the app, relative to the page.
pub const SAMPLE_PATH: &str = "sample.parquet";
/// Longest `data` value read: a longer one is no file address anyone types,
/// and it would crowd the consent prompt and the source panel.
pub const MAX_DATA_CHARS: usize = 2048;
/// Longest address shown in the source panel before it is cut.
const SHOWN_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataSource {
    /// The upstream file on the Hub ([`HUB_URL`]): the built-in list's
    /// `hub-2024`, and the default when no list says otherwise.
    Hub,
    /// The sample shipped in `public/`.
    Sample,
    /// Any other http(s) URL the visitor asked for, resolved against the page.
    Custom(Address),
    /// A source the deployment's list names (`super::sources`): its short
    /// name, which a link carries instead of the address.
    Listed { name: String, address: Address },
}

/// A resolved `data` address. Built only by [`Address::resolve`] and
/// [`Address::resolve_listed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Absolute, without credentials: what is fetched and shown.
    url: Url,
    /// The page's origin, to tell same-origin files from other hosts.
    page_origin: url::Origin,
}

impl Address {
    /// Resolves an address (not a short name) against the page, with the
    /// refusals and the credential note of [`DataSource::from_param`].
    pub fn resolve(value: &str, page_url: &str) -> Result<(Address, Option<String>), String> {
        match Address::parse(value, page_url) {
            Ok((address, had_credentials)) => {
                let note = had_credentials.then(|| {
                    "The data address held a user name or password; they were removed and not sent."
                        .to_string()
                });
                Ok((address, note))
            }
            Err(Refused::TooLong) => {
                Err("The data address is longer than 2,048 characters; it was ignored.".into())
            }
            Err(Refused::Because(why)) => Err(refusal(value, why)),
        }
    }

    /// Resolves a URL of the site's source list (`super::sources`) by the
    /// same rules as a link's, so a listed source is no way around them;
    /// stricter only in refusing credentials outright. `Err` is the
    /// reason, as a clause.
    pub fn resolve_listed(value: &str, page_url: &str) -> Result<Address, String> {
        match Address::parse(value, page_url) {
            Ok((_, true)) => Err("it holds a user name or password".into()),
            Ok((address, false)) => Ok(address),
            Err(Refused::TooLong) => Err(format!(
                "it is longer than {} characters",
                crate::format::count(MAX_DATA_CHARS as u64)
            )),
            Err(Refused::Because(why)) => Err(why.into()),
        }
    }

    /// The address and whether credentials were removed from it.
    fn parse(value: &str, page_url: &str) -> Result<(Address, bool), Refused> {
        if value.chars().count() > MAX_DATA_CHARS {
            return Err(Refused::TooLong);
        }
        // The URL parser silently drops tabs and newlines and reads `\` as
        // `/`, so `/\host`, `/<TAB>/host` or `ht<TAB>tp://host` would reach
        // another host while looking like a path: refuse them outright.
        if value.chars().any(|c| c.is_control() || c == '\\') {
            return Err(Refused::Because(
                "it contains a backslash or a control character",
            ));
        }
        let Ok(page) = Url::parse(page_url) else {
            return Err(Refused::Because("the page's own address could not be read"));
        };
        let Ok(mut url) = page.join(value) else {
            return Err(Refused::Because("it is not a valid address"));
        };
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(Refused::Because("it is not an http(s) URL"));
        }
        let had_credentials = !url.username().is_empty() || url.password().is_some();
        if had_credentials {
            // Never shown, never sent (fetch refuses URLs with credentials).
            let _ = url.set_username("");
            let _ = url.set_password(None);
        }
        let page_origin = page.origin();
        Ok((Address { url, page_origin }, had_credentials))
    }
}

/// Why an address was not used.
enum Refused {
    TooLong,
    Because(&'static str),
}

/// Why a `data` value was not used, as a sentence for the page's notes.
fn refusal(value: &str, why: &str) -> String {
    format!(
        "The data address “{}” was not used: {why}.",
        shorten(&showable(value), 80)
    )
}

/// A refused value as it may be shown: control characters as U+FFFD, and
/// no `user:password@` after a `scheme://`.
pub(super) fn showable(value: &str) -> String {
    let text: String = value
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    let Some(start) = text.find("://").map(|i| i + 3) else {
        return text;
    };
    let authority_end = text[start..]
        .find(['/', '\\', '?', '#'])
        .map_or(text.len(), |i| start + i);
    match text[start..authority_end].rfind('@') {
        Some(at) => format!("{}{}", &text[..start], &text[start + at + 1..]),
        None => text,
    }
}

impl DataSource {
    /// Reads the `data` parameter against the page's own address
    /// (`page_url`, absolute). `Ok` holds the source and, when something was
    /// removed from the address, a note saying so; `Err` explains why a value
    /// is refused: the app then falls back to the default source and shows
    /// it. (Short names other than `sample` are read by
    /// [`super::sources::DataParam::read`], which comes first.)
    pub fn from_param(
        value: Option<&str>,
        page_url: &str,
    ) -> Result<(DataSource, Option<String>), String> {
        let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok((DataSource::Hub, None));
        };
        if value.eq_ignore_ascii_case("sample") {
            return Ok((DataSource::Sample, None));
        }
        let (address, note) = Address::resolve(value, page_url)?;
        Ok((DataSource::Custom(address), note))
    }

    /// The URL to fetch (the sample is resolved against the page by the
    /// browser layer; a custom address is already absolute).
    pub fn url(&self) -> &str {
        match self {
            DataSource::Hub => HUB_URL,
            DataSource::Sample => SAMPLE_PATH,
            DataSource::Custom(address) | DataSource::Listed { address, .. } => {
                address.url.as_str()
            }
        }
    }

    /// A short human name for the data-source panel.
    pub fn label(&self) -> String {
        match self {
            DataSource::Hub => "jsulz/space-stats on the Hugging Face Hub".into(),
            DataSource::Sample => "Bundled sample (5,000 synthetic Spaces, not real data)".into(),
            // Credentials are gone and the host is ASCII (punycode).
            DataSource::Custom(address) | DataSource::Listed { address, .. } => {
                shorten(address.url.as_str(), SHOWN_CHARS)
            }
        }
    }

    pub fn is_sample(&self) -> bool {
        matches!(self, DataSource::Sample)
    }

    /// The resolved address of a file named by URL (a link's or a list's).
    fn address(&self) -> Option<&Address> {
        match self {
            DataSource::Custom(address) | DataSource::Listed { address, .. } => Some(address),
            DataSource::Hub | DataSource::Sample => None,
        }
    }

    /// The host the visitor must approve before the app downloads from it,
    /// as shown to them (`host[:port]`, punycode): any origin other than the
    /// page's own and https Hugging Face. A shared link should not make a
    /// visitor's browser contact a stranger's server unannounced.
    pub fn host_needing_consent(&self) -> Option<String> {
        let address = self.address()?;
        let url = &address.url;
        let trusted = url.origin() == address.page_origin
            || (url.scheme() == "https"
                && url.port().is_none()
                && url.host_str().is_some_and(is_hugging_face_host));
        (!trusted).then(|| shown_host(url))
    }
}

/// `host[:port]` as the URL parser serialises it: lower case, IDNA
/// (punycode) for non-ASCII names, so a look-alike host shows what it is.
fn shown_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
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
        let custom_origin = match self.address() {
            // 'self' already covers the page's own origin.
            Some(address) if address.url.origin() != address.page_origin => {
                Some(address.url.origin().ascii_serialization())
                    // The origin goes into a policy: plain host characters only.
                    .filter(|origin| {
                        origin
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || ".-:/[]".contains(c))
                    })
                    .map(|origin| format!(" {origin}"))
            }
            _ => None,
        };
        format!(
            "connect-src {TRUSTED_CONNECT_SOURCES}{}",
            custom_origin.unwrap_or_default()
        )
    }
}

/// huggingface.co, hf.co and their subdomains (the dataset's redirects go
/// to CDN hosts under hf.co). `host` is as the URL parser gives it.
fn is_hugging_face_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    if host.split('.').any(str::is_empty) {
        return false;
    }
    ["huggingface.co", "hf.co"].iter().any(|root| {
        host == *root
            || host
                .strip_suffix(root)
                .is_some_and(|sub| sub.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "http://127.0.0.1:8080/app/?data=x";

    fn source(value: &str) -> DataSource {
        DataSource::from_param(Some(value), PAGE)
            .unwrap_or_else(|e| panic!("{value}: {e}"))
            .0
    }

    fn refused(value: &str) -> String {
        DataSource::from_param(Some(value), PAGE).unwrap_err()
    }

    #[test]
    fn reads_the_data_parameter() {
        assert_eq!(source("  "), DataSource::Hub);
        assert_eq!(
            DataSource::from_param(None, PAGE),
            Ok((DataSource::Hub, None))
        );
        assert_eq!(source("sample"), DataSource::Sample);
        assert_eq!(source("SAMPLE"), DataSource::Sample);
        assert_eq!(
            source("https://example.org/a.parquet").url(),
            "https://example.org/a.parquet"
        );
        // Relative paths resolve against the page, as fetch() would.
        assert_eq!(
            source("fixtures/x.parquet").url(),
            "http://127.0.0.1:8080/app/fixtures/x.parquet"
        );
        assert_eq!(
            source("/x.parquet").url(),
            "http://127.0.0.1:8080/x.parquet"
        );
    }

    #[test]
    fn requests_the_address_exactly_as_given() {
        // Signed URLs: the query is kept byte for byte, nothing appended.
        for url in [
            "https://example.org/f.parquet?X-Amz-Signature=a%2Bb&X-Amz-Expires=60",
            "https://example.org/f.parquet?",
            "https://example.org/f.parquet?a=1&",
        ] {
            assert_eq!(source(url).url(), url);
        }
    }

    #[test]
    fn refuses_other_schemes() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "ftp://example.org/a",
            "blob:http://127.0.0.1:8080/x",
        ] {
            assert!(refused(bad).contains("not an http(s) URL"), "{bad}");
        }
        assert!(refused(&"a".repeat(3000)).contains("longer than 2,048"));
    }

    /// Each of these reaches another origin in a browser (the parser drops
    /// tabs and newlines and reads `\` as `/`): refused, not loaded.
    #[test]
    fn refuses_backslashes_and_control_characters() {
        let page = Url::parse(PAGE).unwrap();
        for (bad, would_reach) in [
            ("/\\localhost:9999/f.parquet", Some("localhost")),
            ("\\\\localhost:9999/f.parquet", Some("localhost")),
            ("/\t/localhost:9999/f.parquet", Some("localhost")),
            ("/\n/localhost:9999/f.parquet", Some("localhost")),
            ("\u{1}http://localhost:9999/f.parquet", Some("localhost")),
            ("ht\ttp://localhost:9999/f.parquet", Some("localhost")),
            ("https://ok.example/\u{7f}", None),
            ("https://ok.example/\u{85}x", None),
        ] {
            if let Some(host) = would_reach {
                // What the browser would have done with it.
                assert_eq!(page.join(bad).unwrap().host_str(), Some(host), "{bad:?}");
            }
            let message = refused(bad);
            assert!(
                message.contains("backslash or a control character"),
                "{bad:?}: {message}"
            );
        }
    }

    #[test]
    fn refusals_show_no_credentials_or_control_characters() {
        let message = refused("ftp://user:s3cret@example.org/a");
        assert!(message.contains("“ftp://example.org/a”"), "{message}");
        let message = refused("http://user:s3cret@example.org\\x");
        assert!(!message.contains("s3cret"), "{message}");
        let message = refused("ht\ttp://example.org/");
        assert!(
            message.contains("“ht\u{FFFD}tp://example.org/”"),
            "{message}"
        );
    }

    #[test]
    fn credentials_are_never_shown_or_sent() {
        let (source, note) =
            DataSource::from_param(Some("http://user:s3cret@evil.example/f.parquet"), PAGE)
                .unwrap();
        assert_eq!(source.url(), "http://evil.example/f.parquet");
        assert_eq!(source.label(), "http://evil.example/f.parquet");
        assert_eq!(
            source.host_needing_consent().as_deref(),
            Some("evil.example")
        );
        let note = note.unwrap();
        assert!(
            !note.contains("s3cret") && !note.contains("user:"),
            "{note}"
        );
        // A refusal quotes the value, so it must not hold credentials either:
        // a value with credentials is never refused before they are removed.
        let (_, note) = DataSource::from_param(Some("https://:pw@example.org/"), PAGE).unwrap();
        assert!(note.is_some());
    }

    #[test]
    fn look_alike_hosts_are_shown_in_punycode() {
        // Cyrillic "раура" and a Latin "l" look like "paypal".
        let look_alike = source("https://раураl.com/f.parquet");
        let host = look_alike.host_needing_consent().unwrap();
        assert_eq!(host, "xn--l-7sba6dbr.com");
        assert!(look_alike
            .label()
            .starts_with("https://xn--l-7sba6dbr.com/"));
        // Full-width letters map to plain ASCII, as the browser maps them.
        assert_eq!(
            source("https://ｅｘａｍｐｌｅ.org/f")
                .host_needing_consent()
                .as_deref(),
            Some("example.org")
        );
    }

    #[test]
    fn consent_is_decided_from_the_resolved_origin() {
        for trusted in [
            "https://huggingface.co/datasets/x/y/resolve/main/a.parquet",
            "https://HuggingFace.co./a.parquet",
            "https://cdn-lfs-us-1.hf.co/a.parquet",
            "https://hf.co/a.parquet",
            "http://127.0.0.1:8080/fixtures/a.parquet",
            // 2130706433 is 127.0.0.1 written as one number.
            "http://2130706433:8080/a.parquet",
            "fixtures/a.parquet",
            "/a.parquet",
            "./../../a.parquet",
            "?x=1",
            "%2F%5Chost/a.parquet",
        ] {
            assert_eq!(source(trusted).host_needing_consent(), None, "{trusted}");
        }
        for (url, host) in [
            ("https://example.org/a.parquet", "example.org"),
            ("https://huggingface.co@evil.example/a", "evil.example"),
            (
                "https://huggingface.co.evil.example/a",
                "huggingface.co.evil.example",
            ),
            ("https://evilhuggingface.co/a", "evilhuggingface.co"),
            ("https:.huggingface.co/a", ".huggingface.co"),
            ("http://127.0.0.1:9999/a.parquet", "127.0.0.1:9999"),
            ("http://0x7f.1:9999/a.parquet", "127.0.0.1:9999"),
            ("https://127.0.0.1:8080/a.parquet", "127.0.0.1:8080"),
            ("http://huggingface.co/a.parquet", "huggingface.co"),
            (
                "https://huggingface.co:8443/a.parquet",
                "huggingface.co:8443",
            ),
            ("HTTPS://Example.ORG?x", "example.org"),
            ("//evil.example/x", "evil.example"),
            ("https:evil.example/x", "evil.example"),
            ("http://[::1]:9999/x", "[::1]:9999"),
        ] {
            assert_eq!(
                source(url).host_needing_consent().as_deref(),
                Some(host),
                "{url}"
            );
        }
        assert_eq!(DataSource::Hub.host_needing_consent(), None);
        assert_eq!(DataSource::Sample.host_needing_consent(), None);
    }

    #[test]
    fn connect_policy_names_only_trusted_hosts_and_the_chosen_origin() {
        let base = "connect-src 'self' https://huggingface.co https://*.huggingface.co https://hf.co https://*.hf.co";
        assert_eq!(DataSource::Hub.connect_policy(), base);
        assert_eq!(source("fixtures/a.parquet").connect_policy(), base);
        assert_eq!(
            source("HTTPS://u:p@Data.Example:8443/x.parquet?y").connect_policy(),
            format!("{base} https://data.example:8443")
        );
        // Nothing from the URL can add a directive or a wildcard.
        for hostile in ["https://a.example;script-src *'/x", "https://*.example/x"] {
            let policy = DataSource::from_param(Some(hostile), PAGE)
                .map(|(s, _)| s.connect_policy())
                .unwrap_or_else(|_| base.to_string());
            assert!(
                !policy.contains(';') && policy.matches('*').count() == 2,
                "{policy}"
            );
        }
    }
}
