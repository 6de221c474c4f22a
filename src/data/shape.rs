//! Where each of the app's columns lives in a file. Upstream's flat
//! schema names them directly; the Hub API's daily snapshot keeps most of
//! them inside `runtime` and `cardData`, as struct columns or JSON text,
//! with camelCase or snake_case names. Decided once from the footer's
//! schema; the decoder, the budget check and the range plan all read it,
//! so what is fetched, checked and decoded cannot drift apart.

use parquet::schema::types::{SchemaDescriptor, Type};

use super::table::PROSE_COLUMNS;

/// A column of JSON text, parsed once per row for all the fields it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonRecord {
    /// `cardData`: the README front matter.
    Card,
    /// `runtime`: stage, hardware, dev mode, domains.
    Runtime,
}

/// Where one app column comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A top-level column of this name.
    Top(String),
    /// A leaf inside a struct column: `root`, then `path` (list levels
    /// skipped: `runtime.domains[].domain` is `["domains", "domain"]`).
    Nested { root: String, path: Vec<String> },
    /// A field of the JSON text in column `root`.
    Json { root: String, record: JsonRecord },
}

impl Place {
    /// Inside the README front matter (`cardData`), which the Hub's models
    /// and datasets snapshots have too: no evidence of a table of Spaces.
    pub fn is_front_matter(&self) -> bool {
        match self {
            Place::Json { record, .. } => *record == JsonRecord::Card,
            Place::Nested { root, .. } => CARD_ROOTS.contains(&root.as_str()),
            Place::Top(_) => false,
        }
    }

    /// Whether the file's leaf column `leaf` is (part of) this place.
    fn holds(&self, schema: &SchemaDescriptor, leaf: usize) -> bool {
        let column = schema.column(leaf);
        let path = column.path().parts();
        match self {
            Place::Top(root) | Place::Json { root, .. } => path[0] == *root,
            Place::Nested { root, path: inner } => {
                path[0] == *root && without_list_levels(&path[1..]) == *inner
            }
        }
    }

    pub fn root(&self) -> &str {
        match self {
            Place::Top(root) | Place::Nested { root, .. } | Place::Json { root, .. } => root,
        }
    }
}

/// The app's columns, each with the names it goes by: top-level names
/// first, then where the Hub API record keeps it.
struct Wanted {
    name: &'static str,
    top: &'static [&'static str],
    card: &'static [&'static str],
    runtime: &'static [&'static [&'static str]],
}

const WANTED: &[Wanted] = &[
    top("id", &["id"]),
    top("author", &["author"]),
    top("created_at", &["created_at", "createdAt"]),
    top("last_modified", &["last_modified", "lastModified"]),
    top("likes", &["likes"]),
    top("sdk", &["sdk"]),
    top("tags", &["tags"]),
    top("models", &["models"]),
    top("datasets", &["datasets"]),
    card("license", &["license"]),
    card("duplicated_from", &["duplicated_from", "duplicatedFrom"]),
    card("emoji", &["emoji"]),
    card("pinned", &["pinned"]),
    card("title", &["title"]),
    card(
        "short_description",
        &["short_description", "shortDescription"],
    ),
    runtime("stage", &["stage"], &[&["stage"]]),
    runtime("hardware", &["hardware"], &[&["hardware", "current"]]),
    runtime(
        "devMode",
        &["devMode", "dev_mode"],
        &[&["devMode"], &["dev_mode"]],
    ),
    runtime(
        "custom_domains",
        &["custom_domains", "customDomains"],
        &[&["domains", "domain"]],
    ),
];

const fn top(name: &'static str, top: &'static [&'static str]) -> Wanted {
    Wanted {
        name,
        top,
        card: &[],
        runtime: &[],
    }
}

/// Top-level under its own names, else inside `cardData`.
const fn card(name: &'static str, names: &'static [&'static str]) -> Wanted {
    Wanted {
        name,
        top: names,
        card: names,
        runtime: &[],
    }
}

const fn runtime(
    name: &'static str,
    top: &'static [&'static str],
    runtime: &'static [&'static [&'static str]],
) -> Wanted {
    Wanted {
        name,
        top,
        card: &[],
        runtime,
    }
}

/// Columns only some shapes have.
const OPTIONAL: [&str; 2] = PROSE_COLUMNS;

/// Which of a file's app columns one decode reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Every column.
    All,
    /// Everything but the prose, when the prose has chunks of its own
    /// (see [`Shape::prose_apart`]): what the Overview and filters need.
    Eager,
    /// Only the prose, fetched when Search first needs it.
    Prose,
    /// Everything but the columns a second engine decodes beside this one
    /// ([`Shape::apart`]): the front matter's JSON text, whose per-row parse
    /// would otherwise take as long as the rest; or, in a large file of
    /// plain columns, the authors and the card's columns (see
    /// [`APART_PLAIN`]).
    BesideApart,
    /// Only the columns [`Phase::BesideApart`] leaves out.
    Apart,
}

const CARD_ROOTS: [&str; 2] = ["cardData", "card_data"];

/// The columns of a file without front matter JSON that a second engine
/// decodes beside the rest ([`Phase::Apart`]). The authors are a third of
/// a decode: hundreds of thousands of distinct names, interned one by one
/// once the writer's dictionary page is full. With the card's own columns
/// the two halves balance (natively, at a million rows: about 165 ms here
/// against 150 ms for the rest, from 330 ms for the whole).
pub const APART_PLAIN: [&str; 5] = ["author", "license", "duplicated_from", "emoji", "pinned"];
const RUNTIME_ROOTS: [&str; 1] = ["runtime"];

/// Which of the app's columns a file has, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Shape {
    pub columns: Vec<(&'static str, Place)>,
    /// App columns the file does not have.
    pub missing: Vec<String>,
    /// The file's top-level columns the app does not read.
    pub ignored: Vec<String>,
    /// Every top-level column, in file order (for messages).
    pub roots: Vec<String>,
}

impl Shape {
    /// The shape of a file with this schema.
    pub fn of(schema: &SchemaDescriptor) -> Shape {
        let roots = schema.root_schema().get_fields();
        let find_root = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| roots.iter().find(|r| r.name() == *n))
        };
        let card = find_root(&CARD_ROOTS);
        let runtime = find_root(&RUNTIME_ROOTS);
        let mut columns = Vec::new();
        let mut missing = Vec::new();
        for wanted in WANTED {
            let place = find_root(wanted.top)
                // A struct named like a plain column (`hardware` as
                // {current, requested}) is read through its `current`.
                .map(|root| match root.as_ref() {
                    Type::GroupType { .. } if !is_list(root) => Place::Nested {
                        root: root.name().to_string(),
                        path: vec!["current".into()],
                    },
                    _ => Place::Top(root.name().to_string()),
                })
                .or_else(|| {
                    let root = card.filter(|_| !wanted.card.is_empty())?;
                    record_place(
                        root,
                        &wanted.card.iter().map(|n| vec![*n]).collect::<Vec<_>>(),
                        JsonRecord::Card,
                    )
                })
                .or_else(|| {
                    let root = runtime.filter(|_| !wanted.runtime.is_empty())?;
                    let paths: Vec<Vec<&str>> = wanted.runtime.iter().map(|p| p.to_vec()).collect();
                    record_place(root, &paths, JsonRecord::Runtime)
                });
            match place {
                Some(place) => columns.push((wanted.name, place)),
                // Upstream's file has no title or description: not worth
                // a warning.
                None if OPTIONAL.contains(&wanted.name) => {}
                None => missing.push(wanted.name.to_string()),
            }
        }
        let used = |name: &str| columns.iter().any(|(_, p)| p.root() == name);
        let ignored = roots
            .iter()
            .map(|r| r.name().to_string())
            .filter(|n| !used(n))
            .collect();
        Shape {
            columns,
            missing,
            ignored,
            roots: roots.iter().map(|r| r.name().to_string()).collect(),
        }
    }

    /// Whether the prose columns can be fetched apart from the rest: the
    /// file has them, in chunks no other app column reads (plain columns or
    /// struct leaves; JSON text holds them with the other card fields).
    pub fn prose_apart(&self) -> bool {
        let prose: Vec<&Place> = PROSE_COLUMNS.iter().filter_map(|c| self.place(c)).collect();
        !prose.is_empty()
            && prose
                .iter()
                .all(|p| matches!(p, Place::Top(_) | Place::Nested { .. }))
            && self.columns.iter().all(|(name, place)| {
                PROSE_COLUMNS.contains(name)
                    || !prose
                        .iter()
                        .any(|p| matches!(p, Place::Top(r) if r == place.root()))
            })
    }

    /// Whether the front matter is JSON text holding some of the app's
    /// columns: its parse can then run beside the rest of the decode.
    pub fn card_json_apart(&self) -> bool {
        self.columns.iter().any(|(_, place)| is_card_json(place))
    }

    /// Whether the known column `name` is one a second engine decodes
    /// ([`Phase::Apart`]): the front matter's JSON text when the file has
    /// it; else, in a file whose prose (if any) is not fetched apart, the
    /// plain columns of [`APART_PLAIN`] it has.
    pub fn apart(&self, name: &str) -> bool {
        if self.card_json_apart() {
            return self.place(name).is_some_and(is_card_json);
        }
        APART_PLAIN.contains(&name) && self.has(name) && !self.prose_apart()
    }

    /// Whether a decode of `phase` reads the known column `name` (known to
    /// this file or not: a column it lacks is read as empty by the decode
    /// that would have read it).
    pub fn reads(&self, phase: Phase, name: &str) -> bool {
        let prose = PROSE_COLUMNS.contains(&name) && self.prose_apart();
        match phase {
            Phase::All => true,
            Phase::Eager => !prose,
            Phase::Prose => prose,
            Phase::BesideApart => !self.apart(name),
            Phase::Apart => self.apart(name),
        }
    }

    /// This shape with only the columns `phase` reads.
    pub fn for_phase(&self, phase: Phase) -> Shape {
        Shape {
            columns: self
                .columns
                .iter()
                .filter(|(name, _)| self.reads(phase, name))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    pub fn place(&self, column: &str) -> Option<&Place> {
        self.columns
            .iter()
            .find(|(name, _)| *name == column)
            .map(|(_, p)| p)
    }

    pub fn has(&self, column: &str) -> bool {
        self.place(column).is_some()
    }

    /// The top-level columns the app reads.
    pub fn used_roots(&self) -> Vec<&str> {
        let mut roots: Vec<&str> = self.columns.iter().map(|(_, p)| p.root()).collect();
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    /// The leaf columns (Parquet column chunks) the app reads: whole roots
    /// for plain and JSON columns, only the wanted leaves of a struct.
    pub fn leaves(&self, schema: &SchemaDescriptor) -> Vec<usize> {
        (0..schema.num_columns())
            .filter(|&leaf| {
                self.columns
                    .iter()
                    .any(|(_, place)| place.holds(schema, leaf))
            })
            .collect()
    }

    /// The one leaf column that holds the app column `name`, unless it is
    /// JSON text or a struct of several leaves.
    pub fn leaf_of(&self, name: &str, schema: &SchemaDescriptor) -> Option<usize> {
        let place = self
            .place(name)
            .filter(|p| !matches!(p, Place::Json { .. }))?;
        let mut leaves = (0..schema.num_columns()).filter(|&leaf| place.holds(schema, leaf));
        let leaf = leaves.next()?;
        leaves.next().is_none().then_some(leaf)
    }

    /// The columns JSON text holds, by root.
    pub fn json_roots(&self) -> Vec<(&str, JsonRecord)> {
        let mut roots: Vec<(&str, JsonRecord)> = self
            .columns
            .iter()
            .filter_map(|(_, p)| match p {
                Place::Json { root, record } => Some((root.as_str(), *record)),
                _ => None,
            })
            .collect();
        let mut seen = Vec::new();
        roots.retain(|root| {
            let first = !seen.contains(root);
            seen.push(*root);
            first
        });
        roots
    }
}

fn is_card_json(place: &Place) -> bool {
    matches!(
        place,
        Place::Json {
            record: JsonRecord::Card,
            ..
        }
    )
}

/// `record`'s place for the first of `paths` it holds: a struct leaf, or
/// (text) JSON.
fn record_place(
    root: &std::sync::Arc<Type>,
    paths: &[Vec<&str>],
    record: JsonRecord,
) -> Option<Place> {
    match root.as_ref() {
        Type::GroupType { .. } => paths.iter().find_map(|path| {
            has_path(root, path).then(|| Place::Nested {
                root: root.name().to_string(),
                path: path.iter().map(|s| s.to_string()).collect(),
            })
        }),
        Type::PrimitiveType { .. } => Some(Place::Json {
            root: root.name().to_string(),
            record,
        }),
    }
}

/// Whether the group `ty` holds `path` below it (list levels skipped).
fn has_path(ty: &Type, path: &[&str]) -> bool {
    let Some((first, rest)) = path.split_first() else {
        return true;
    };
    let Type::GroupType { fields, .. } = ty else {
        return false;
    };
    fields.iter().any(|field| {
        if field.name() == *first {
            has_path(field, rest)
        } else {
            // Through a list's wrapper levels.
            is_list_level(field.name()) && has_path(field, path)
        }
    }) || (is_list(ty) && fields.iter().any(|f| has_path(f, path)))
}

fn is_list(ty: &Type) -> bool {
    use parquet::basic::{ConvertedType, LogicalType};
    let info = ty.get_basic_info();
    matches!(info.logical_type_ref(), Some(LogicalType::List))
        || info.converted_type() == ConvertedType::LIST
}

fn is_list_level(name: &str) -> bool {
    matches!(name, "list" | "element" | "item" | "array" | "bag")
}

fn without_list_levels(parts: &[String]) -> Vec<String> {
    parts
        .iter()
        .filter(|p| !is_list_level(p))
        .cloned()
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    fn shape_of(file: &str) -> (Shape, std::sync::Arc<SchemaDescriptor>) {
        let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
        let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
        let schema = reader.metadata().file_metadata().schema_descr_ptr();
        (Shape::of(&schema), schema)
    }

    #[test]
    fn every_known_column_has_one_place_to_look() {
        let mut wanted: Vec<&str> = WANTED.iter().map(|w| w.name).collect();
        let mut known = crate::data::KNOWN_COLUMNS.to_vec();
        wanted.sort_unstable();
        known.sort_unstable();
        assert_eq!(wanted, known);
    }

    #[test]
    fn upstream_columns_are_top_level() {
        let (shape, _) = shape_of("spaces-5k-pandas.parquet");
        for (name, place) in &shape.columns {
            assert_eq!(place, &Place::Top(name.to_string()), "{name}");
        }
        assert!(shape.missing.is_empty(), "{:?}", shape.missing);
        assert!(!shape.has("title"));
    }

    #[test]
    fn the_hub_api_record_is_read_through_runtime_and_card_data() {
        let (shape, schema) = shape_of("spaces-5k-hub-api.parquet");
        assert!(shape.missing.is_empty(), "{:?}", shape.missing);
        assert_eq!(
            shape.place("created_at"),
            Some(&Place::Top("createdAt".into()))
        );
        let nested = |path: &[&str]| Place::Nested {
            root: "runtime".into(),
            path: path.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            shape.place("hardware"),
            Some(&nested(&["hardware", "current"]))
        );
        assert_eq!(
            shape.place("custom_domains"),
            Some(&nested(&["domains", "domain"]))
        );
        let card = Place::Json {
            root: "cardData".into(),
            record: JsonRecord::Card,
        };
        assert_eq!(shape.place("emoji"), Some(&card));
        assert_eq!(shape.json_roots(), [("cardData", JsonRecord::Card)]);
        // Only the runtime leaves the app reads: not requested hardware,
        // domain stages or gcTimeout.
        let read: Vec<String> = shape
            .leaves(&schema)
            .into_iter()
            .map(|l| schema.column(l).path().string())
            .filter(|p| p.starts_with("runtime"))
            .collect();
        assert_eq!(
            read,
            [
                "runtime.stage",
                "runtime.hardware.current",
                "runtime.devMode",
                "runtime.domains.list.element.domain"
            ]
        );
        assert!(shape.ignored.contains(&"sha".to_string()));
        assert!(!shape.ignored.contains(&"runtime".to_string()));
    }

    #[test]
    fn struct_card_data_and_snake_case_dates() {
        let (shape, _) = shape_of("spaces-5k-hub-api-struct.parquet");
        assert!(shape.missing.is_empty(), "{:?}", shape.missing);
        assert_eq!(
            shape.place("created_at"),
            Some(&Place::Top("created_at".into()))
        );
        assert_eq!(
            shape.place("title"),
            Some(&Place::Nested {
                root: "cardData".into(),
                path: vec!["title".into()]
            })
        );
        let (json, _) = shape_of("spaces-5k-hub-api-json.parquet");
        assert_eq!(
            json.json_roots(),
            [
                ("cardData", JsonRecord::Card),
                ("runtime", JsonRecord::Runtime)
            ]
        );
    }
}
