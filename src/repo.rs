//! Reading the repository: git revisions, blobs at base or head (one long-lived
//! `git cat-file --batch`), and worktree files, always confined to the repository.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("`{path}` is not inside the repository (absolute paths and `..` are not allowed)")]
    Escape { path: String },
    #[error("`{path}` resolves outside the repository through a symbolic link")]
    SymlinkEscape { path: String },
    #[error("could not run git: {0} (is git installed and on PATH?)")]
    Spawn(std::io::Error),
    #[error("`git {args}` failed: {stderr}")]
    Git { args: String, stderr: String },
    #[error("{dir} is not a git repository")]
    NotARepo { dir: String },
    #[error("reading `{path}`: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("git cat-file: {0}")]
    CatFile(String),
}

/// A repository on disk. `git` is false for a plain directory (a diff given as a file).
pub struct Repo {
    root: PathBuf,
    git: bool,
    cat_file: Mutex<Option<CatFile>>,
    /// Blobs already read, keyed by `rev:path`: several gates read the same head files, and
    /// the single `cat-file` process would otherwise serialise every one of those reads.
    blobs: Mutex<BlobCache>,
}

/// Up to `BLOB_CACHE_BYTES` of blob contents; past that, reads are simply not cached.
#[derive(Default)]
struct BlobCache {
    map: std::collections::HashMap<String, Option<std::sync::Arc<[u8]>>>,
    bytes: usize,
}

const BLOB_CACHE_BYTES: usize = 256 << 20;

struct CatFile {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Drop for CatFile {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Repo {
    /// Opens the git repository containing `dir`.
    pub fn open(dir: &Path) -> Result<Repo, RepoError> {
        let out = git_command(dir).args(["rev-parse", "--show-toplevel"]).output().map_err(RepoError::Spawn)?;
        if !out.status.success() {
            return Err(RepoError::NotARepo { dir: dir.display().to_string() });
        }
        let top = String::from_utf8_lossy(&out.stdout).trim_end_matches(['\n', '\r']).to_string();
        let root = PathBuf::from(top)
            .canonicalize()
            .map_err(|e| RepoError::Io { path: dir.display().to_string(), source: e })?;
        Ok(Repo { root, git: true, cat_file: Mutex::new(None), blobs: Mutex::new(BlobCache::default()) })
    }

    /// A plain directory: worktree reads only.
    pub fn plain(dir: &Path) -> Result<Repo, RepoError> {
        let root = dir.canonicalize().map_err(|e| RepoError::Io { path: dir.display().to_string(), source: e })?;
        Ok(Repo { root, git: false, cat_file: Mutex::new(None), blobs: Mutex::new(BlobCache::default()) })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn is_git(&self) -> bool {
        self.git
    }

    /// Runs git in the repository and returns stdout.
    pub fn git(&self, args: &[&str]) -> Result<Vec<u8>, RepoError> {
        let out = git_command(&self.root).args(args).output().map_err(RepoError::Spawn)?;
        if !out.status.success() {
            return Err(RepoError::Git {
                args: args.join(" "),
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            });
        }
        Ok(out.stdout)
    }

    fn git_line(&self, args: &[&str]) -> Result<String, RepoError> {
        Ok(String::from_utf8_lossy(&self.git(args)?).trim().to_string())
    }

    /// Resolves a revision to a commit SHA.
    pub fn resolve(&self, rev: &str) -> Result<String, RepoError> {
        if rev.starts_with('-') {
            return Err(RepoError::Git {
                args: format!("rev-parse {rev}"),
                stderr: "a revision cannot start with `-`".into(),
            });
        }
        self.git_line(&["rev-parse", "--verify", "--quiet", "--end-of-options", &format!("{rev}^{{commit}}")]).map_err(
            |_| RepoError::Git { args: format!("rev-parse {rev}"), stderr: format!("unknown revision `{rev}`") },
        )
    }

    pub fn merge_base(&self, a: &str, b: &str) -> Result<String, RepoError> {
        self.git_line(&["merge-base", a, b]).map_err(|_| RepoError::Git {
            args: format!("merge-base {a} {b}"),
            stderr: "the two revisions share no history (pass --base explicitly)".into(),
        })
    }

    /// The default branch to compare against: `origin/HEAD`, then `main`, `master`,
    /// `origin/main`, `origin/master`.
    pub fn default_base(&self) -> Result<String, RepoError> {
        for candidate in ["origin/HEAD", "main", "master", "origin/main", "origin/master"] {
            if self.resolve(candidate).is_ok() {
                return Ok(candidate.to_string());
            }
        }
        Err(RepoError::Git {
            args: "rev-parse origin/HEAD main master".into(),
            stderr: "no default branch found (tried origin/HEAD, main, master); pass --base REV".into(),
        })
    }

    /// Reads `path` at `rev` from the object database. `None` when the path does not exist
    /// there (or is a directory or submodule).
    pub fn read_at(&self, rev: &str, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        let path = confine(path)?;
        if path.contains('\n') || rev.contains('\n') || rev.contains(':') {
            return Err(RepoError::Escape { path });
        }
        let spec = format!("{rev}:{path}");
        if let Some(hit) = self.blobs.lock().unwrap_or_else(|e| e.into_inner()).map.get(&spec) {
            return Ok(hit.as_deref().map(<[u8]>::to_vec));
        }
        let mut guard = self.cat_file.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_none() {
            *guard = Some(self.start_cat_file()?);
        }
        let cf = guard.as_mut().expect("started above");
        let result = cf.request(&spec);
        drop(guard);
        match &result {
            Ok(blob) => {
                let mut cache = self.blobs.lock().unwrap_or_else(|e| e.into_inner());
                let size = blob.as_ref().map_or(0, Vec::len);
                if cache.bytes + size <= BLOB_CACHE_BYTES {
                    cache.bytes += size;
                    cache.map.insert(spec, blob.as_deref().map(std::sync::Arc::from));
                }
            }
            // The process is in an unknown state; start afresh next time.
            Err(_) => *self.cat_file.lock().unwrap_or_else(|e| e.into_inner()) = None,
        }
        result
    }

    fn start_cat_file(&self) -> Result<CatFile, RepoError> {
        let mut child = git_command(&self.root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(RepoError::Spawn)?;
        let stdin = child.stdin.take().expect("piped");
        let stdout = BufReader::with_capacity(64 * 1024, child.stdout.take().expect("piped"));
        Ok(CatFile { child, stdin, stdout })
    }

    /// Reads a worktree file, refusing anything that resolves outside the repository.
    pub fn read_worktree(&self, path: &str) -> Result<Option<Vec<u8>>, RepoError> {
        let Some(full) = self.worktree_path(path)? else { return Ok(None) };
        std::fs::read(&full).map(Some).map_err(|e| RepoError::Io { path: path.to_string(), source: e })
    }

    /// The absolute path of a worktree file after confinement checks; `None` if it does not exist.
    pub fn worktree_path(&self, path: &str) -> Result<Option<PathBuf>, RepoError> {
        let rel = confine(path)?;
        let full = self.root.join(&rel);
        match full.canonicalize() {
            Ok(real) if real.starts_with(&self.root) => Ok(Some(real)),
            Ok(_) => Err(RepoError::SymlinkEscape { path: rel }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RepoError::Io { path: rel, source: e }),
        }
    }
}

impl Repo {
    /// Every file under the worktree directory `dir` (`""` or `"."` for the whole worktree), as
    /// sorted repository-relative paths; `None` if `dir` does not exist. `dir` is confined like
    /// [`Repo::read_worktree`]; directory symlinks are not followed, file symlinks are kept only
    /// when they resolve inside the repository, and `.git` is skipped. A file `dir` lists itself.
    pub fn list_worktree(&self, dir: &str) -> Result<Option<Vec<String>>, RepoError> {
        let start = if dir.is_empty() || dir == "." {
            self.root.clone()
        } else {
            match self.worktree_path(dir)? {
                Some(p) => p,
                None => return Ok(None),
            }
        };
        let io = |p: &Path, e| RepoError::Io { path: p.display().to_string(), source: e };
        let rel = |p: &Path| p.strip_prefix(&self.root).ok().and_then(|r| r.to_str()).map(|s| s.replace('\\', "/"));
        let mut out = Vec::new();
        if start.is_file() {
            out.extend(rel(&start));
            return Ok(Some(out));
        }
        let mut stack = vec![start];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).map_err(|e| io(&d, e))? {
                let entry = entry.map_err(|e| io(&d, e))?;
                let path = entry.path();
                let kind = entry.file_type().map_err(|e| io(&path, e))?;
                let Some(r) = rel(&path) else { continue }; // non-UTF-8 names are skipped
                if kind.is_dir() {
                    if r != ".git" {
                        stack.push(path);
                    }
                } else if kind.is_file()
                    || (kind.is_symlink() && matches!(self.worktree_path(&r), Ok(Some(p)) if p.is_file()))
                {
                    out.push(r);
                }
            }
        }
        out.sort();
        Ok(Some(out))
    }

    /// Every file (blob) under `dir` at revision `rev`, as sorted repository-relative paths
    /// (`""` lists the whole tree).
    pub fn list_at(&self, rev: &str, dir: &str) -> Result<Vec<String>, RepoError> {
        if rev.starts_with('-') {
            return Err(RepoError::Git {
                args: format!("ls-tree {rev}"),
                stderr: "a revision cannot start with `-`".into(),
            });
        }
        let mut args = vec!["ls-tree", "-r", "-z", "--name-only", "--full-tree", rev];
        let confined;
        if !(dir.is_empty() || dir == ".") {
            confined = confine(dir)?;
            args.extend(["--", confined.as_str()]);
        }
        let out = self.git(&args)?;
        let mut files: Vec<String> =
            out.split(|b| *b == 0).filter(|p| !p.is_empty()).map(|p| String::from_utf8_lossy(p).into_owned()).collect();
        files.sort();
        Ok(files)
    }
}

impl CatFile {
    fn request(&mut self, object: &str) -> Result<Option<Vec<u8>>, RepoError> {
        let err = |e: std::io::Error| RepoError::CatFile(e.to_string());
        self.stdin.write_all(object.as_bytes()).map_err(err)?;
        self.stdin.write_all(b"\n").map_err(err)?;
        self.stdin.flush().map_err(err)?;
        let mut header = String::new();
        self.stdout.read_line(&mut header).map_err(err)?;
        let header = header.trim_end();
        if header.is_empty() {
            return Err(RepoError::CatFile("git cat-file exited".into()));
        }
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            return Ok(None);
        }
        let mut parts = header.split(' ');
        let (_sha, kind, size) = (parts.next(), parts.next(), parts.next());
        let size: usize = size
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| RepoError::CatFile(format!("unexpected reply `{header}`")))?;
        let mut buf = vec![0; size + 1];
        self.stdout.read_exact(&mut buf).map_err(err)?;
        buf.pop(); // trailing newline
        Ok((kind == Some("blob")).then_some(buf))
    }
}

/// A git command with settings that make its output stable whatever the user's config says.
pub fn git_command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(dir)
        .args(["-c", "core.quotepath=off", "-c", "color.ui=never"])
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_EXTERNAL_DIFF");
    cmd
}

/// Normalises a repository-relative path (`./a//b` → `a/b`) and rejects absolute paths and `..`.
pub fn confine(path: &str) -> Result<String, RepoError> {
    let escape = || RepoError::Escape { path: path.to_string() };
    if path.is_empty() || path.contains('\0') || path.starts_with('/') || path.starts_with('\\') {
        return Err(escape());
    }
    let mut parts = Vec::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str().ok_or_else(escape)?),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return Err(escape()),
        }
    }
    if parts.is_empty() || parts.iter().any(|p| p.contains('\\') && p.contains("..")) {
        return Err(escape());
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confine_normalises_and_rejects_escapes() {
        assert_eq!(confine("./src//lib.rs").unwrap(), "src/lib.rs");
        for bad in ["../x", "/etc/passwd", "a/../../b", "a/..", "", "..\\x", "\\x"] {
            assert!(confine(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn listing_stays_inside_the_repository() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::write(root.join("a/b/x.json"), "1").unwrap();
        std::fs::write(root.join("a/y.txt"), "2").unwrap();
        std::fs::write(root.join(".git/HEAD"), "ref").unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outside.path(), root.join("a/out")).unwrap();
            std::os::unix::fs::symlink(outside.path().join("secret"), root.join("a/link")).unwrap();
        }
        let repo = Repo::plain(root).unwrap();
        assert_eq!(repo.list_worktree("a").unwrap().unwrap(), vec!["a/b/x.json", "a/y.txt"]);
        assert_eq!(repo.list_worktree("").unwrap().unwrap(), vec!["a/b/x.json", "a/y.txt"]);
        assert_eq!(repo.list_worktree("a/y.txt").unwrap().unwrap(), vec!["a/y.txt"]);
        assert_eq!(repo.list_worktree("nope").unwrap(), None);
        assert!(repo.list_worktree("../x").is_err());
        #[cfg(unix)]
        assert!(matches!(repo.list_worktree("a/out"), Err(RepoError::SymlinkEscape { .. })));
    }
}
