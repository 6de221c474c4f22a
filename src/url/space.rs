//! The Space the app runs in, when it runs in one: its id validated before
//! it goes into any link, and the links that point to the Space's page.
//! The id comes from text the page does not control (the host's variables
//! or a tag the deploy wrote), so anything that is not plainly
//! `<owner>/<name>` in the Hub's characters is refused.

use std::fmt;

/// Longest owner or name the Hub allows.
const MAX_PART_CHARS: usize = 96;

/// A validated `<owner>/<name>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpaceId(String);

impl SpaceId {
    /// `text` as a Space id, or `None` unless it is `<owner>/<name>` where
    /// each part is 1 to 96 ASCII letters, digits, `-`, `_` or `.`, starts
    /// and ends with a letter or digit, and holds no `--` or `..`.
    ///
    /// ```
    /// use spaces_ship::url::space::SpaceId;
    ///
    /// assert!(SpaceId::parse("jsulz/spaces-ship").is_some());
    /// assert!(SpaceId::parse("owner/../../logout").is_none());
    /// assert!(SpaceId::parse("javascript:alert(1)").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<SpaceId> {
        let (owner, name) = text.split_once('/')?;
        (valid_part(owner) && valid_part(name)).then(|| SpaceId(text.to_string()))
    }

    /// The Space's page on the Hub, which passes `query` on to the app.
    pub fn page_url(&self, query: &str) -> String {
        let query = query.trim_start_matches('?');
        if query.is_empty() {
            format!("https://huggingface.co/spaces/{}", self.0)
        } else {
            format!("https://huggingface.co/spaces/{}?{query}", self.0)
        }
    }
}

impl fmt::Display for SpaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn valid_part(part: &str) -> bool {
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    (1..=MAX_PART_CHARS).contains(&part.len())
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && edge_ok(part.chars().next())
        && edge_ok(part.chars().last())
        && !part.contains("--")
        && !part.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hub_ids() {
        for id in ["jsulz/spaces-ship", "a/b", "Owner_1/My.Space-2", "x1/y_z"] {
            assert_eq!(SpaceId::parse(id).map(|s| s.to_string()), Some(id.into()));
        }
    }

    #[test]
    fn refuses_anything_else() {
        let long = format!("{}/x", "a".repeat(5_000));
        for hostile in [
            "",
            "owner",
            "/name",
            "owner/",
            "a/b/c",
            "owner/../../logout",
            "../x",
            "owner/..",
            "owner/.hidden",
            "owner/name.",
            "-owner/name",
            "own--er/name",
            "javascript:alert(1)",
            "<img src=x onerror=alert(1)>",
            "owner/na me",
            "owner/name?x=1",
            "owner/name#x",
            "owner/n%2F",
            "owner/ñame",
            "owner/name\n",
            &long,
        ] {
            assert_eq!(SpaceId::parse(hostile), None, "{hostile:?}");
        }
        let longest = format!("{}/{}", "a".repeat(96), "b".repeat(96));
        assert!(SpaceId::parse(&longest).is_some());
        assert!(SpaceId::parse(&format!("{}/b", "a".repeat(97))).is_none());
    }

    #[test]
    fn links_to_the_space_page_with_the_view() {
        let id = SpaceId::parse("jsulz/spaces-ship").unwrap();
        assert_eq!(
            id.page_url("sdk=gradio&view=search"),
            "https://huggingface.co/spaces/jsulz/spaces-ship?sdk=gradio&view=search"
        );
        assert_eq!(
            id.page_url("?q=a"),
            "https://huggingface.co/spaces/jsulz/spaces-ship?q=a"
        );
        assert_eq!(
            id.page_url(""),
            "https://huggingface.co/spaces/jsulz/spaces-ship"
        );
    }
}
