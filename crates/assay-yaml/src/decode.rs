use crate::{Limits, LoadError, LoadErrorKind};
use assay_span::{Pos, Span};

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

/// Decoded text, ready to parse.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// How far into a file NUL bytes mark it as binary (git's heuristic).
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// Decode a file's bytes: UTF-8 (a BOM is removed) or UTF-16 with a BOM
/// (transcoded). NUL bytes near the start mean a binary file; invalid UTF-8
/// is an error at the line and column of the first bad byte.
///
/// # Errors
/// Binary content, invalid encodings, and files over `limits.max_file_bytes`.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, LoadError> {
    let start = Span::point(Pos::new(1, 1));
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(LoadError::limit(
            "max-file-size",
            limits.max_file_bytes,
            start,
            &format!("file size {} bytes", bytes.len()),
        ));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes, Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes, Encoding::Utf16Be);
    }
    let (body, encoding) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, Encoding::Utf8Bom),
        None => (bytes, Encoding::Utf8),
    };
    let sniff = &body[..body.len().min(BINARY_SNIFF_BYTES)];
    if sniff.contains(&0) {
        return Err(LoadError {
            kind: LoadErrorKind::Binary,
            span: start,
            message: "binary file (NUL bytes): not YAML or JSON, skipped".to_owned(),
        });
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok(Decoded {
            text: text.to_owned(),
            encoding,
        }),
        Err(err) => {
            let valid = &body[..err.valid_up_to()];
            // The prefix is valid UTF-8 by construction; count lines and columns in it.
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() + 1;
            let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let pos = Pos::new(saturate(line), saturate(col));
            Err(LoadError {
                kind: LoadErrorKind::Encoding,
                span: Span::point(pos),
                message: format!(
                    "invalid UTF-8 at byte offset {}: re-save the file as UTF-8",
                    err.valid_up_to() + (bytes.len() - body.len())
                ),
            })
        }
    }
}

fn utf16(body: &[u8], read: fn([u8; 2]) -> u16, encoding: Encoding) -> Result<Decoded, LoadError> {
    let units: Vec<u16> = body
        .chunks(2)
        .map(|pair| match *pair {
            [a, b] => read([a, b]),
            // An odd trailing byte cannot be a UTF-16 unit.
            _ => 0xDC00,
        })
        .collect();
    match String::from_utf16(&units) {
        Ok(text) => Ok(Decoded { text, encoding }),
        Err(_) => Err(LoadError {
            kind: LoadErrorKind::Encoding,
            span: Span::point(Pos::new(1, 1)),
            message: "invalid UTF-16 (the file starts with a UTF-16 byte-order mark): re-save it as UTF-8"
                .to_owned(),
        }),
    }
}

pub(crate) fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_utf8_bom() {
        let d = decode(b"\xEF\xBB\xBFa: 1\r\n", &Limits::default()).unwrap();
        assert_eq!(d.text, "a: 1\r\n");
        assert_eq!(d.encoding, Encoding::Utf8Bom);
    }

    #[test]
    fn transcodes_utf16le() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "a: é\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let d = decode(&bytes, &Limits::default()).unwrap();
        assert_eq!(d.text, "a: é\n");
        assert_eq!(d.encoding, Encoding::Utf16Le);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = decode(b"a: 1\nb: \xC3\x28\n", &Limits::default()).unwrap_err();
        assert_eq!(err.kind, LoadErrorKind::Encoding);
        assert_eq!(err.span.start, Pos::new(2, 4));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let err = decode(b"\x7fELF\x00\x00\x01", &Limits::default()).unwrap_err();
        assert_eq!(err.kind, LoadErrorKind::Binary);
    }

    #[test]
    fn file_size_limit_names_itself() {
        let limits = Limits {
            max_file_bytes: 4,
            ..Limits::default()
        };
        let err = decode(b"a: 12345", &limits).unwrap_err();
        assert!(err.message.contains("max-file-size"), "{}", err.message);
    }
}
