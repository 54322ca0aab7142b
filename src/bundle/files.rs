//! Reading bundle files from a folder, a `.tar.gz`/`.tgz` or a `.zip`, as paths or bytes in memory
//! (docs/proton-semantics.md §2.4, §2.6): path safety, junk skipped, decompression bounded, quotas
//! checked.

use crate::diagnostic::Diagnostic;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Proton's bundle quota (1024-based).
pub const BUNDLE_QUOTA: usize = 5 * 1024 * 1024;
/// `schema.yaml` and `manifest.yaml` quota.
pub const SMALL_FILE_QUOTA: usize = 50 * 1024;
/// Quota for every other file.
pub const FILE_QUOTA: usize = 200 * 1024;
/// Proton's file-count limit (a warning: AWS's own CodeBuild samples exceed it).
pub const FILE_COUNT_QUOTA: usize = 10;
/// Reading stops after this many decompressed bytes (zip/tar bombs).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;
/// Reading stops after this many decompressed bytes per compressed byte, past 1 MB.
pub const MAX_RATIO: u64 = 200;
/// Reading stops after this many entries.
pub const MAX_ENTRIES: usize = 10_000;
/// Paths deeper or longer than this are skipped.
pub const MAX_DEPTH: usize = 32;
pub const MAX_PATH_LEN: usize = 1024;

/// The files of a load, by normalized relative path (`/`-separated, no `./`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileTree {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl FileTree {
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a tree from in-memory text files (the page's editor state), checking paths.
    pub fn from_texts<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (FileTree, Vec<Diagnostic>) {
        let mut loader = Loader::default();
        for (path, text) in files {
            loader.add(path, text.as_bytes().to_vec());
        }
        loader.finish()
    }

    pub fn get_text(&self, path: &str) -> Option<&str> {
        self.files
            .get(path)
            .and_then(|b| std::str::from_utf8(b).ok())
    }

    pub fn total_size(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// Loads a folder or archive from disk.
pub fn load_path(path: &Path) -> Result<(FileTree, Vec<Diagnostic>), String> {
    if path.is_dir() {
        let mut loader = Loader::default();
        walk_dir(path, path, 0, &mut loader);
        return Ok(loader.finish());
    }
    let bytes = read_file(path, MAX_ARCHIVE)?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    Ok(load_bytes(name, &bytes))
}

/// The largest archive read from disk: an archive past it could only unpack past the budget.
pub const MAX_ARCHIVE: u64 = MAX_UNPACKED;

/// Reads a regular file of at most `limit` bytes. Devices, FIFOs and sockets are refused before
/// they are opened (`/dev/zero` never ends, a FIFO blocks until someone writes to it).
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    if meta.len() > limit {
        return Err(format!(
            "{shown}: {} bytes, over the limit of {limit} bytes",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("{shown}: over the limit of {limit} bytes"));
    }
    Ok(bytes)
}

/// [`read_file`] for text: UTF-8, a leading byte-order mark dropped.
pub fn read_text_file(path: &Path, limit: u64) -> Result<String, String> {
    let bytes = read_file(path, limit)?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// Reads a folder within the loader's budgets: a folder past [`MAX_DEPTH`] levels is skipped
/// (and said), an entry that cannot be read is a diagnostic, not the end of the load.
fn walk_dir(root: &Path, dir: &Path, depth: usize, loader: &mut Loader) {
    let rel_of = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    };
    if depth > MAX_DEPTH {
        loader.too_deep(&rel_of(dir));
        return;
    }
    let mut entries = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(read) => {
            for entry in read {
                match entry {
                    Ok(e) => entries.push(e),
                    Err(e) => loader.unreadable(&rel_of(dir), &e),
                }
                // Counting before sorting: a folder of millions of entries stops here.
                if entries.len() > MAX_ENTRIES {
                    loader.too_many();
                    return;
                }
            }
        }
        Err(e) => {
            loader.unreadable(&rel_of(dir), &e);
            return;
        }
    }
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        if loader.stopped {
            break;
        }
        let path = entry.path();
        let rel = rel_of(&path);
        let file_type = match entry.file_type() {
            Ok(t) => t,
            Err(e) => {
                loader.unreadable(&rel, &e);
                continue;
            }
        };
        let skipped_folder = file_type.is_dir()
            && (rel == ".git"
                || rel.ends_with("/.git")
                || rel == "node_modules"
                || rel.ends_with("/node_modules"));
        if skipped_folder {
            continue;
        }
        if !loader.count_entry() {
            break;
        }
        if file_type.is_symlink() {
            loader.link(&rel);
        } else if file_type.is_dir() {
            walk_dir(root, &path, depth + 1, loader);
        } else if file_type.is_file() {
            let budget = loader.budget();
            let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
            if len > budget {
                if len > MAX_UNPACKED {
                    loader.too_big(&rel, len);
                    continue;
                }
                loader.bomb(&rel);
                break;
            }
            match read_file(&path, budget) {
                Ok(data) => loader.add(&rel, data),
                Err(e) => loader.unreadable_text(&rel, &e),
            }
        }
    }
}

/// Packs text files into a `.tar.gz` (the workspace download when a share link is too long):
/// what [`load_bytes`] reads back.
pub fn pack_tar_gz<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::default(),
    ));
    for (path, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        // Paths come from a loaded workspace (already normalized); a bad one is skipped.
        let _ = builder.append_data(&mut header, path, text.as_bytes());
    }
    builder
        .into_inner()
        .and_then(|gz| gz.finish())
        .unwrap_or_default()
}

/// Loads an archive from memory; the kind is taken from the content (gzip or zip magic), the
/// name only decides the "Proton needs tar.gz" notice.
pub fn load_bytes(name: &str, bytes: &[u8]) -> (FileTree, Vec<Diagnostic>) {
    let mut loader = Loader {
        compressed: bytes.len() as u64,
        ..Default::default()
    };
    if bytes.starts_with(&[0x1f, 0x8b]) {
        read_tar(flate2::read::GzDecoder::new(bytes), &mut loader);
    } else if bytes.starts_with(b"PK") {
        loader.diagnostics.push(
            Diagnostic::info(
                "bundle-zip",
                "zip archive: Proton itself only documents gzip'd tar bundles",
            )
            .in_file(name)
            .with_hint("package for Proton with: tar -czf bundle.tar.gz schema/ infrastructure/"),
        );
        read_zip(bytes, &mut loader, name);
    } else if name.ends_with(".tar") || bytes.get(257..262) == Some(b"ustar") {
        read_tar(bytes, &mut loader);
    } else {
        loader.diagnostics.push(
            Diagnostic::error(
                "bundle-format",
                "not a bundle archive: expected a .tar.gz/.tgz or .zip file (or a folder)",
            )
            .in_file(name),
        );
    }
    loader.finish()
}

/// A reader that fails once more than `limit` bytes went through it: the whole decompressed
/// tar stream (headers, long names, PAX records and file data alike) shares one budget.
struct Budgeted<R> {
    inner: R,
    left: u64,
    exceeded: std::rc::Rc<std::cell::Cell<bool>>,
}

impl<R: Read> Read for Budgeted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            self.exceeded.set(true);
            return Err(std::io::Error::other("over the unpacking budget"));
        }
        let want = buf.len().min(self.left.min(usize::MAX as u64) as usize);
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Tar metadata allowed beside the file data: headers and names of [`MAX_ENTRIES`] entries.
const TAR_METADATA: u64 = MAX_ENTRIES as u64 * 2048;

fn read_tar<R: Read>(reader: R, loader: &mut Loader) {
    let exceeded = std::rc::Rc::new(std::cell::Cell::new(false));
    let budgeted = Budgeted {
        inner: reader,
        left: loader.budget() + TAR_METADATA,
        exceeded: exceeded.clone(),
    };
    let mut archive = tar::Archive::new(budgeted);
    let entries = match archive.entries() {
        Ok(e) => e,
        Err(e) => {
            loader.corrupt(&e.to_string());
            return;
        }
    };
    for entry in entries {
        if loader.stopped {
            break;
        }
        let mut entry = match entry {
            Ok(e) => e,
            Err(_) if exceeded.get() => {
                loader.bomb("");
                break;
            }
            Err(e) => {
                loader.corrupt(&e.to_string());
                break;
            }
        };
        if !loader.count_entry() {
            break;
        }
        let path = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            loader.link(&path);
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let mut data = Vec::new();
        let budget = loader.budget();
        match (&mut entry).take(budget + 1).read_to_end(&mut data) {
            Ok(_) if data.len() as u64 > budget => {
                loader.bomb(&path);
                break;
            }
            Ok(_) => loader.add(&path, data),
            Err(_) if exceeded.get() => {
                loader.bomb(&path);
                break;
            }
            Err(e) => {
                loader.corrupt(&e.to_string());
                break;
            }
        }
    }
}

fn read_zip(bytes: &[u8], loader: &mut Loader, name: &str) {
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            loader.corrupt(&format!("{name}: {e}"));
            return;
        }
    };
    for i in 0..archive.len() {
        if loader.stopped || !loader.count_entry() {
            break;
        }
        let mut file = match archive.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                loader.corrupt(&e.to_string());
                continue;
            }
        };
        let path = file.name().to_string();
        if file.is_symlink() {
            loader.link(&path);
            continue;
        }
        if file.is_dir() {
            continue;
        }
        let budget = loader.budget();
        let mut data = Vec::new();
        match (&mut file).take(budget + 1).read_to_end(&mut data) {
            Ok(_) if data.len() as u64 > budget => {
                loader.bomb(&path);
                break;
            }
            Ok(_) => loader.add(&path, data),
            Err(e) => loader.corrupt(&format!("{path}: {e}")),
        }
    }
}

/// Collects entries and the diagnostics about them.
#[derive(Default)]
struct Loader {
    tree: FileTree,
    diagnostics: Vec<Diagnostic>,
    unpacked: u64,
    compressed: u64,
    /// Entries of every kind seen (files, folders, links, metadata).
    entries: usize,
    /// Links skipped; past [`MAX_LINK_NOTES`] they are counted in one diagnostic.
    links: usize,
    stopped: bool,
}

/// Links named one by one; the rest are counted.
const MAX_LINK_NOTES: usize = 20;

impl Loader {
    /// Bytes that may still be unpacked: the absolute cap, and the ratio cap past 1 MB.
    fn budget(&self) -> u64 {
        let ratio_cap = (self.compressed.max(1) * MAX_RATIO).max(1024 * 1024);
        let cap = if self.compressed > 0 {
            MAX_UNPACKED.min(ratio_cap)
        } else {
            MAX_UNPACKED
        };
        cap.saturating_sub(self.unpacked)
    }

    /// Counts one entry of any kind; false (and said once) past [`MAX_ENTRIES`].
    fn count_entry(&mut self) -> bool {
        self.entries += 1;
        if self.entries > MAX_ENTRIES {
            self.too_many();
            return false;
        }
        true
    }

    fn too_many(&mut self) {
        self.diagnostics.push(Diagnostic::error(
            "bundle-entries",
            format!("more than {MAX_ENTRIES} entries: the rest were not read"),
        ));
        self.stopped = true;
    }

    fn add(&mut self, raw_path: &str, data: Vec<u8>) {
        let Some(path) = self.normalize(raw_path) else {
            return;
        };
        if is_junk(&path) {
            return;
        }
        self.unpacked += data.len() as u64;
        if let Some(earlier) = self.tree.files.insert(path.clone(), data) {
            self.unpacked -= earlier.len() as u64;
            self.diagnostics.push(
                Diagnostic::warning(
                    "bundle-duplicate",
                    "the archive holds this path more than once: its last copy is read",
                )
                .in_file(path)
                .with_hint("archive each file once"),
            );
        }
    }

    fn normalize(&mut self, raw: &str) -> Option<String> {
        let raw = raw.replace('\\', "/");
        if raw.starts_with('/') || (raw.len() > 1 && raw.as_bytes()[1] == b':') {
            self.diagnostics.push(
                Diagnostic::error(
                    "bundle-path",
                    format!("absolute path in bundle: {raw} (skipped)"),
                )
                .with_hint("archive the bundle with relative paths"),
            );
            return None;
        }
        let mut parts = Vec::new();
        for part in raw.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    self.diagnostics.push(Diagnostic::error(
                        "bundle-path",
                        format!("path leaves the bundle: {raw} (skipped)"),
                    ));
                    return None;
                }
                p => parts.push(p),
            }
        }
        if parts.is_empty() {
            return None;
        }
        let path = parts.join("/");
        if parts.len() > MAX_DEPTH || path.len() > MAX_PATH_LEN {
            self.diagnostics.push(Diagnostic::error(
                "bundle-path",
                format!(
                    "path too deep or too long (max {MAX_DEPTH} levels, {MAX_PATH_LEN} bytes): {}… (skipped)",
                    path.chars().take(80).collect::<String>()
                ),
            ));
            return None;
        }
        Some(path)
    }

    fn link(&mut self, path: &str) {
        self.links += 1;
        if self.links <= MAX_LINK_NOTES {
            self.diagnostics.push(
                Diagnostic::warning("bundle-link", "links are not followed (skipped)")
                    .in_file(path.trim_start_matches("./")),
            );
        }
    }

    fn too_deep(&mut self, folder: &str) {
        self.diagnostics.push(Diagnostic::error(
            "bundle-path",
            format!(
                "folder more than {MAX_DEPTH} levels deep: {}… (skipped)",
                folder.chars().take(80).collect::<String>()
            ),
        ));
    }

    fn unreadable(&mut self, path: &str, error: &std::io::Error) {
        self.unreadable_text(path, &error.to_string());
    }

    fn unreadable_text(&mut self, path: &str, error: &str) {
        self.diagnostics.push(
            Diagnostic::error("bundle-read", format!("cannot be read: {error} (skipped)"))
                .in_file(path),
        );
    }

    fn corrupt(&mut self, detail: &str) {
        self.diagnostics.push(Diagnostic::error(
            "bundle-archive",
            format!("cannot read the archive: {detail}"),
        ));
        self.stopped = true;
    }

    fn bomb(&mut self, path: &str) {
        let mut d = Diagnostic::error(
            "bundle-bomb",
            format!(
                "the bundle unpacks to more than allowed ({} MB, or {MAX_RATIO}× its archive's size): reading stopped",
                MAX_UNPACKED / (1024 * 1024)
            ),
        );
        if !path.is_empty() {
            d = d.in_file(path);
        }
        self.diagnostics.push(d);
        self.stopped = true;
    }

    fn too_big(&mut self, path: &str, len: u64) {
        self.diagnostics.push(
            Diagnostic::error(
                "bundle-quota",
                format!("file of {len} bytes is far over Proton's quota (skipped)"),
            )
            .in_file(path),
        );
    }

    fn finish(mut self) -> (FileTree, Vec<Diagnostic>) {
        if self.links > MAX_LINK_NOTES {
            self.diagnostics.push(Diagnostic::warning(
                "bundle-link",
                format!(
                    "{} more links were not followed (skipped)",
                    self.links - MAX_LINK_NOTES
                ),
            ));
        }
        (self.tree, self.diagnostics)
    }
}

/// Files Proton never sees: macOS metadata, editor backups, VCS folders.
fn is_junk(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.split('/').any(|p| p == "__MACOSX" || p == ".git")
        || name == ".DS_Store"
        || name == "Thumbs.db"
        || name.starts_with("._")
        || name.ends_with('~')
}

/// Quota diagnostics for one bundle's files (paths relative to the bundle root).
pub fn quota_diagnostics<'a>(
    files: impl IntoIterator<Item = (&'a String, usize)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut count = 0usize;
    for (path, len) in files {
        total += len;
        count += 1;
        let name = path.rsplit('/').next().unwrap_or(path);
        let quota = if matches!(
            name,
            "schema.yaml" | "schema.yml" | "manifest.yaml" | "manifest.yml"
        ) {
            SMALL_FILE_QUOTA
        } else {
            FILE_QUOTA
        };
        if len > quota {
            out.push(
                Diagnostic::error(
                    "bundle-quota",
                    format!(
                        "{len} bytes: over Proton's {} KB limit for this file",
                        quota / 1024
                    ),
                )
                .in_file(path.as_str()),
            );
        }
    }
    if total > BUNDLE_QUOTA {
        out.push(Diagnostic::error(
            "bundle-quota",
            format!("the bundle holds {total} bytes: over Proton's 5 MB limit"),
        ));
    }
    if count > FILE_COUNT_QUOTA {
        out.push(Diagnostic::warning(
            "bundle-file-count",
            format!(
                "{count} files: Proton documents a limit of {FILE_COUNT_QUOTA} files per bundle"
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn tar_gz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::default(),
        ));
        for (path, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            // Write the name bytes directly so unsafe names reach the loader.
            header.as_old_mut().name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_cksum();
            builder.append(&header, *data).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn tar_gz_with_unsafe_paths_and_junk() {
        let bytes = tar_gz(&[
            ("./schema/schema.yaml", b"schema: {}"),
            ("../evil", b"x"),
            ("/etc/passwd", b"x"),
            ("__MACOSX/._x", b"x"),
            ("a/.DS_Store", b"x"),
        ]);
        let (tree, diags) = load_bytes("b.tar.gz", &bytes);
        assert_eq!(
            tree.files.keys().collect::<Vec<_>>(),
            ["schema/schema.yaml"]
        );
        assert_eq!(diags.iter().filter(|d| d.code == "bundle-path").count(), 2);
    }

    #[test]
    fn zip_archives_load_with_a_notice() {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut buf);
            zip.start_file("w/manifest.yaml", zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(b"x: 1").unwrap();
            zip.finish().unwrap();
        }
        let (tree, diags) = load_bytes("b.zip", buf.get_ref());
        assert!(tree.files.contains_key("w/manifest.yaml"));
        assert_eq!(diags[0].code, "bundle-zip");
    }

    #[test]
    fn packed_archives_load_back() {
        let bytes = pack_tar_gz([("schema/schema.yaml", "schema: {}"), ("a/b.txt", "x")]);
        let (tree, diags) = load_bytes("workspace.tar.gz", &bytes);
        assert_eq!(tree.files["a/b.txt"], b"x");
        assert_eq!(tree.files.len(), 2);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    }

    #[test]
    fn decompression_bombs_stop() {
        let big = vec![0u8; 8 * 1024 * 1024];
        let bytes = tar_gz(&[("a", &big)]);
        let (tree, diags) = load_bytes("bomb.tgz", &bytes);
        assert!(tree.files.is_empty());
        assert!(diags.iter().any(|d| d.code == "bundle-bomb"), "{diags:?}");
    }

    #[test]
    fn garbage_is_a_diagnostic() {
        let (_, diags) = load_bytes("x.tar.gz", &[0x1f, 0x8b, 1, 2, 3]);
        assert!(diags.iter().any(|d| d.code == "bundle-archive"));
        let (_, diags) = load_bytes("x.txt", b"hello");
        assert_eq!(diags[0].code, "bundle-format");
    }

    #[test]
    fn quotas() {
        let big = "x".repeat(60 * 1024);
        let files: Vec<(String, usize)> = (0..11)
            .map(|i| (format!("f{i}"), 1))
            .chain([("schema/schema.yaml".to_string(), big.len())])
            .collect();
        let d = quota_diagnostics(files.iter().map(|(p, l)| (p, *l)));
        assert!(d.iter().any(|d| d.code == "bundle-quota"));
        assert!(d.iter().any(|d| d.code == "bundle-file-count"));
    }
}
