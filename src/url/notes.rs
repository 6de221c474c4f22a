//! The notes a link's parameters produce ("Ignored …"), capped: a URL with
//! 50,000 unknown parameters must not build 50,000 list items.

/// Most notes kept and shown; the rest are only counted ("+N more"). A
/// visitor reads a handful; past that, more lines hide the page.
pub const MAX_NOTES: usize = 8;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notes {
    kept: Vec<String>,
    more: usize,
}

impl Notes {
    /// Keeps `note` while fewer than [`MAX_NOTES`] are held, else counts it.
    pub fn push(&mut self, note: impl Into<String>) {
        if self.kept.len() < MAX_NOTES {
            self.kept.push(note.into());
        } else {
            self.more += 1;
        }
    }

    /// Puts `note` before the others (what was dropped from the view
    /// matters more than which parameters were unknown).
    pub fn push_first(&mut self, note: impl Into<String>) {
        self.kept.insert(0, note.into());
        if self.kept.len() > MAX_NOTES {
            self.kept.pop();
            self.more += 1;
        }
    }

    /// The notes to show, in the order they arose.
    pub fn shown(&self) -> &[String] {
        &self.kept
    }

    /// How many more notes there were than are shown.
    pub fn more(&self) -> usize {
        self.more
    }

    /// Every note, kept or only counted.
    pub fn len(&self) -> usize {
        self.kept.len() + self.more
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.kept.iter()
    }
}

impl Extend<String> for Notes {
    fn extend<I: IntoIterator<Item = String>>(&mut self, notes: I) {
        for note in notes {
            self.push(note);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_notes_and_counts_the_rest() {
        let mut notes = Notes::default();
        assert!(notes.is_empty());
        for i in 0..50_000 {
            notes.push(format!("note {i}"));
        }
        assert_eq!(notes.shown().len(), MAX_NOTES);
        assert_eq!(notes.shown()[0], "note 0");
        assert_eq!(notes.more(), 50_000 - MAX_NOTES);
        assert_eq!(notes.len(), 50_000);
        notes.push_first("first");
        assert_eq!(notes.shown()[0], "first");
        assert_eq!(notes.shown().len(), MAX_NOTES);
        assert_eq!(notes.len(), 50_001);
    }
}
