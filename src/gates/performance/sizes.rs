//! Artifact sizes: the files a glob matches, raw or gzip-compressed, summed (like size-limit).

use super::formats::{self, Format, Options};
use super::units::Dim;
use crate::core::matcher::Globs;
use crate::gate::Context;
use crate::gates::GateError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::io::Write;

/// How a file's size is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// The size on disk.
    #[default]
    None,
    /// The gzip size at level 9 (what a web server typically sends).
    Gzip,
    /// The brotli size at quality 11, window 22 (precompressed static assets); slow on large files.
    Brotli,
}

impl Compression {
    pub fn as_str(self) -> &'static str {
        match self {
            Compression::None => "raw",
            Compression::Gzip => "gzip",
            Compression::Brotli => "brotli",
        }
    }
}

/// The measured size of the files one size budget covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Bytes, summed over `files`.
    pub total: u64,
    /// Each matched file and its size, sorted by path.
    pub files: Vec<(String, u64)>,
}

/// The size of `bytes` as measured with `compression`.
pub fn size_of(bytes: &[u8], compression: Compression) -> u64 {
    match compression {
        Compression::None => bytes.len() as u64,
        Compression::Gzip => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            // Writing to a Vec cannot fail.
            let _ = enc.write_all(bytes);
            enc.finish().map(|v| v.len() as u64).unwrap_or(0)
        }
        Compression::Brotli => {
            let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
            let mut out = Vec::new();
            // Reading from a slice and writing to a Vec cannot fail.
            let _ = brotli::BrotliCompress(&mut &bytes[..], &mut out, &params);
            out.len() as u64
        }
    }
}

/// The directory to list for a glob: its leading components without glob syntax.
pub fn literal_prefix(glob: &str) -> String {
    let glob = glob.strip_prefix("./").unwrap_or(glob);
    if !glob.contains('/') {
        // A bare `*.js` matches at any depth (like .gitignore), so the whole tree is listed.
        return if glob.contains(['*', '?', '[', '{']) { String::new() } else { glob.to_string() };
    }
    let mut parts = Vec::new();
    for part in glob.split('/') {
        if part.contains(['*', '?', '[', '{', '\\']) {
            break;
        }
        parts.push(part);
    }
    parts.join("/")
}

/// The files of the head worktree that `globs` matches.
pub fn measure_head(cx: &Context<'_>, pattern: &str, globs: &Globs, c: Compression) -> Result<Measured, GateError> {
    let files = cx.repo.list_worktree(&literal_prefix(pattern))?.unwrap_or_default();
    let mut out = Vec::new();
    for f in files.into_iter().filter(|f| globs.matches(f)) {
        if let Some(bytes) = cx.input_file(&f)? {
            out.push((f, size_of(&bytes, c)));
        }
    }
    Ok(Measured { total: out.iter().map(|(_, s)| s).sum(), files: out })
}

/// The same files at the base commit (committed artifacts); `None` when none matched there.
pub fn measure_base_commit(
    cx: &Context<'_>,
    pattern: &str,
    globs: &Globs,
    c: Compression,
) -> Result<Option<Measured>, GateError> {
    let Some(sha) = cx.changes.base.sha.as_deref().filter(|_| cx.repo.is_git()) else {
        return Err(GateError::Other(format!(
            "size budget `{pattern}`: `max_growth` needs the base revision (the diff was read from a file); pass --base or give the size budget a `base` results file"
        )));
    };
    let mut out = Vec::new();
    for f in cx.repo.list_at(sha, &literal_prefix(pattern))?.into_iter().filter(|f| globs.matches(f)) {
        if let Some(bytes) = cx.base_file(&f)? {
            out.push((f, size_of(&bytes, c)));
        }
    }
    Ok((!out.is_empty()).then(|| Measured { total: out.iter().map(|(_, s)| s).sum(), files: out }))
}

/// Sizes recorded by the base run in a results file (`json` or `csv`: name = path, value, unit
/// in bytes units); the entries whose names the glob matches are summed. `None` if none match.
pub fn measure_base_file(
    cx: &Context<'_>,
    path: &str,
    format: Format,
    globs: &Globs,
) -> Result<Option<Measured>, GateError> {
    let benches = formats::load(cx, format, path, formats::Side::Latest, &Options::default())?;
    let mut out = Vec::new();
    for b in benches.into_iter().filter(|b| globs.matches(&b.name)) {
        if b.dim != Dim::Bytes {
            return Err(formats::input(path, &format!("`{}` is not a size in bytes units", b.name)));
        }
        out.push((b.name, b.value.round() as u64));
    }
    out.sort();
    Ok((!out.is_empty()).then(|| Measured { total: out.iter().map(|(_, s)| s).sum(), files: out }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_of_globs() {
        assert_eq!(literal_prefix("target/release/app"), "target/release/app");
        assert_eq!(literal_prefix("dist/**/*.js"), "dist");
        assert_eq!(literal_prefix("./dist/assets/*.css"), "dist/assets");
        assert_eq!(literal_prefix("*.wasm"), "");
        assert_eq!(literal_prefix("app.bin"), "app.bin");
        assert_eq!(literal_prefix("**/x"), "");
    }

    #[test]
    fn brotli_size_is_real_compression() {
        let text = "hello world ".repeat(1000);
        let br = size_of(text.as_bytes(), Compression::Brotli);
        assert!(br > 5 && br < size_of(text.as_bytes(), Compression::Gzip), "{br}");
        let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
        let mut data = Vec::new();
        brotli::BrotliCompress(&mut text.as_bytes(), &mut data, &params).unwrap();
        assert_eq!(data.len() as u64, br);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &data[..], &mut back).unwrap();
        assert_eq!(back, text.as_bytes());
    }

    #[test]
    fn gzip_size_is_real_compression() {
        let text = "hello world ".repeat(1000);
        let gz = size_of(text.as_bytes(), Compression::Gzip);
        assert!(gz > 20 && gz < 200, "{gz}");
        assert_eq!(size_of(text.as_bytes(), Compression::None), 12_000);
        // Round trip: the gzip stream decodes to the input.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(text.as_bytes()).unwrap();
        let data = enc.finish().unwrap();
        assert_eq!(data.len() as u64, gz);
        let mut dec = flate2::read::GzDecoder::new(&data[..]);
        let mut back = String::new();
        std::io::Read::read_to_string(&mut dec, &mut back).unwrap();
        assert_eq!(back, text);
    }
}
