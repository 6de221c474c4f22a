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
}
