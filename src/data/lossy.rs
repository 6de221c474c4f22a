//! Text columns read as bytes. The Arrow reader rejects a whole file on
//! one invalid UTF-8 byte in a string column; read as binary, each value is
//! repaired on its own (U+FFFD, counted: [`super::repair`]).

use std::sync::Arc;

use parquet::basic::{ConvertedType, LogicalType, Type as PhysicalType};
use parquet::file::metadata::{FileMetaData, ParquetMetaData};
use parquet::schema::types::{SchemaDescriptor, Type, TypePtr};

/// `metadata` with the string annotation removed from the text leaves of
/// the top-level columns named `roots` (those the app reads), so they read
/// as binary, and the footer's row count
/// replaced by the row groups' total. The Arrow schema stored in
/// the file is dropped too (the caller skips it), since it would ask for
/// strings again. `None` when the schema cannot be rebuilt.
pub fn text_as_bytes(metadata: &ParquetMetaData, roots: &[&str]) -> Option<Arc<ParquetMetaData>> {
    let file = metadata.file_metadata();
    let root = file.schema_descr().root_schema();
    let fields = root
        .get_fields()
        .iter()
        .map(|field| {
            if roots.contains(&field.name()) {
                without_string(field)
            } else {
                Some(Arc::clone(field))
            }
        })
        .collect::<Option<Vec<_>>>()?;
    let root = Type::group_type_builder(root.name())
        .with_fields(fields)
        .build()
        .ok()?;
    // The row count the row groups hold: the reader sizes its work by the
    // footer's, which can lie (2^62 reads as 0 rows on a 32-bit target).
    let rows = metadata
        .row_groups()
        .iter()
        .map(|g| g.num_rows())
        .fold(0, i64::saturating_add);
    let rebuilt = FileMetaData::new(
        file.version(),
        rows,
        file.created_by().map(str::to_string),
        None,
        Arc::new(SchemaDescriptor::new(Arc::new(root))),
        file.column_orders().cloned(),
    );
    Some(Arc::new(ParquetMetaData::new(
        rebuilt,
        metadata.row_groups().to_vec(),
    )))
}

fn without_string(field: &TypePtr) -> Option<TypePtr> {
    let info = field.get_basic_info();
    let rebuilt = match field.as_ref() {
        Type::PrimitiveType {
            physical_type: PhysicalType::BYTE_ARRAY,
            ..
        } if matches!(info.logical_type_ref(), Some(LogicalType::String))
            || info.converted_type() == ConvertedType::UTF8 =>
        {
            Type::primitive_type_builder(info.name(), PhysicalType::BYTE_ARRAY)
                .with_repetition(info.repetition())
                .with_id(info.has_id().then(|| info.id()))
                .build()
                .ok()?
        }
        Type::PrimitiveType { .. } => return Some(Arc::clone(field)),
        Type::GroupType { fields, .. } => {
            let children = fields
                .iter()
                .map(without_string)
                .collect::<Option<Vec<_>>>()?;
            let mut builder = Type::group_type_builder(info.name())
                .with_fields(children)
                .with_converted_type(info.converted_type())
                .with_logical_type(info.logical_type_ref().cloned())
                .with_id(info.has_id().then(|| info.id()));
            if info.has_repetition() {
                builder = builder.with_repetition(info.repetition());
            }
            builder.build().ok()?
        }
    };
    Some(Arc::new(rebuilt))
}
