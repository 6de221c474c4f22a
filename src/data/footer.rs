//! The file's envelope and footer, checked before the Parquet reader sees
//! them: the magic bytes, every column chunk inside the file, and reader
//! errors worded for the visitor. Used by the whole-file decode and by the
//! sparse (range-fetched) file alike.

use parquet::errors::ParquetError;
use parquet::file::metadata::ParquetMetaData;

use super::error::{DecodeError, DecodeResult};

/// Every column chunk the footer lists must lie inside the file: the
/// Parquet reader panics on negative offsets or sizes (found by fuzzing), and
/// a panic in the browser ends the app.
pub(super) fn check_chunk_ranges(metadata: &ParquetMetaData, file_len: u64) -> DecodeResult<()> {
    for row_group in metadata.row_groups() {
        for column in row_group.columns() {
            let start = column
                .dictionary_page_offset()
                .unwrap_or_else(|| column.data_page_offset());
            let length = column.compressed_size();
            let inside = start >= 0
                && length >= 0
                && (start as u64)
                    .checked_add(length as u64)
                    .is_some_and(|end| end <= file_len);
            if !inside {
                return Err(DecodeError::Corrupt(format!(
                    "its footer places column `{}` at bytes {start}..{}, outside the {file_len}-byte file",
                    column.column_path(),
                    start.saturating_add(length)
                )));
            }
        }
    }
    Ok(())
}

/// The bytes [`check_envelope`] looks at: the start and the end.
pub(super) const ENVELOPE_HEAD: u64 = 256;

/// Catches files that are plainly not Parquet before the reader's terser
/// errors would, from the first [`ENVELOPE_HEAD`] bytes (`head`, fewer in a
/// shorter file), the last four (`tail`) and the size.
pub(super) fn check_envelope(head: &[u8], tail: &[u8], len: u64) -> DecodeResult<()> {
    const MAGIC: &[u8] = b"PAR1";
    if len == 0 {
        return Err(DecodeError::Empty);
    }
    if !head.starts_with(MAGIC) {
        let head = String::from_utf8_lossy(head).to_ascii_lowercase();
        let trimmed = head.trim_start();
        let what = if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") {
            "it is an HTML page (perhaps an error or login page served instead of the file)"
                .to_string()
        } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
            "it looks like JSON".to_string()
        } else {
            format!("it does not start with the Parquet marker PAR1 ({len} bytes)")
        };
        return Err(DecodeError::NotParquet(what));
    }
    if len < 12 || !tail.ends_with(MAGIC) {
        return Err(DecodeError::Corrupt(format!(
            "it starts like Parquet but its end is missing ({len} bytes received); the download was probably cut short"
        )));
    }
    Ok(())
}

pub(super) fn describe_error(error: ParquetError) -> DecodeError {
    reading_failed(match error {
        ParquetError::EOF(detail) => format!("unexpected end of data ({detail})"),
        other => other.to_string(),
    })
}

/// A reader error as the visitor should read it. The browser build leaves
/// out codecs no writer of this dataset uses (Cargo.toml): that names the
/// codec rather than calling the file damaged.
pub(super) fn reading_failed(message: String) -> DecodeError {
    const LEFT_OUT: &str = "Disabled feature at compile time: ";
    match message.split_once(LEFT_OUT) {
        Some((_, codec)) => DecodeError::UnsupportedCodec(
            codec
                .split_whitespace()
                .next()
                .unwrap_or(codec)
                .to_ascii_uppercase(),
        ),
        None => DecodeError::Corrupt(message),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_codec_left_out_of_the_build_is_named() {
        let error = super::reading_failed(
            "Parquet argument error: Parquet error: Disabled feature at compile time: brotli"
                .into(),
        );
        assert!(
            error
                .to_string()
                .starts_with("This file is compressed with BROTLI"),
            "{error}"
        );
    }
}
