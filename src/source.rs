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
    fn shortens_by_characters_not_bytes() {
        assert_eq!(shorten("ééééé", 3), "éé…");
        assert_eq!(shorten("abc", 3), "abc");
    }
}
