//! The image taken out of the AppImage: into a folder named by the user (`--appimage-extract`) or
//! once into the user's cache, named by the image's SHA-256, so a new version never runs an older
//! one's files and the same one is extracted once.

use std::io::{BufReader, Read as _, Seek as _, SeekFrom};
use std::path::{Component, Path, PathBuf};

use backhand::{FilesystemReader, InnerNode};
use sha2::{Digest as _, Sha256};

/// The folder in `cache` that holds the image of `image` (from `offset`), extracted now unless an
/// earlier run did.
pub fn cached(image: &Path, offset: u64, cache: &Path) -> Result<PathBuf, String> {
    let digest = digest_of(image, offset)?;
    let done = cache.join(&digest);
    if done.join("AppRun").exists() {
        return Ok(done);
    }
    private_folder(cache)?;
    clear_abandoned(cache, &digest);
    let making = cache.join(format!(".{digest}.{}", std::process::id()));
    if making.exists() {
        std::fs::remove_dir_all(&making).map_err(|error| cannot("clear", &making, &error))?;
    }
    if let Err(problem) = extract(image, offset, &making) {
        let _ = std::fs::remove_dir_all(&making);
        return Err(problem);
    }
    if let Err(error) = std::fs::rename(&making, &done) {
        let _ = std::fs::remove_dir_all(&making);
        // Another start of the same AppImage finished first: its copy is the same.
        if !done.join("AppRun").exists() {
            return Err(cannot("put in place", &done, &error));
        }
    }
    Ok(done)
}

/// Removes what extractions of `digest` that were cut short left (`.DIGEST.PID` of a process that
/// is gone: killed, or the computer died), so they do not pile up.
fn clear_abandoned(cache: &Path, digest: &str) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    let prefix = format!(".{digest}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|name| name.strip_prefix(&prefix)) else {
            continue;
        };
        let running = pid.parse::<u32>().is_ok_and(|pid| {
            pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists()
        });
        if !running {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The first 32 hex digits of the SHA-256 of `image` from `offset` on.
fn digest_of(image: &Path, offset: u64) -> Result<String, String> {
    let mut file = std::fs::File::open(image).map_err(|error| cannot("read", image, &error))?;
    file.seek(SeekFrom::Start(offset))
        .map_err(|error| cannot("read", image, &error))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0_u8; 1 << 16];
    loop {
        let read = file
            .read(&mut buffer)
            .map_err(|error| cannot("read", image, &error))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .take(16)
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// Makes `folder` if need be, and refuses one that another account could change (or a link in
/// its place), where what this account runs will be kept.
fn private_folder(folder: &Path) -> Result<(), String> {
    std::fs::create_dir_all(folder).map_err(|error| cannot("make", folder, &error))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
        let found =
            std::fs::symlink_metadata(folder).map_err(|error| cannot("read", folder, &error))?;
        let home = std::env::var_os("HOME")
            .and_then(|home| std::fs::metadata(home).ok())
            .map(|home| home.uid());
        let own = found.is_dir() && home.is_none_or(|uid| uid == found.uid());
        if !own {
            return Err(format!(
                "{} is not a folder of this account's; nothing was run from it.",
                folder.display()
            ));
        }
        if found.mode() & 0o077 != 0 {
            std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
                .map_err(|error| cannot("make private", folder, &error))?;
        }
    }
    Ok(())
}

/// Extracts the SquashFS image of `image` at `offset` into the new folder `into`.
pub fn extract(image: &Path, offset: u64, into: &Path) -> Result<(), String> {
    let file = std::fs::File::open(image).map_err(|error| cannot("read", image, &error))?;
    let filesystem = FilesystemReader::from_reader_with_offset(BufReader::new(file), offset)
        .map_err(|error| {
            format!("The AppImage's image cannot be read ({error}); it may be damaged.")
        })?;
    std::fs::create_dir(into).map_err(|error| cannot("make", into, &error))?;
    let mut links = Vec::new();
    let mut folders = Vec::new();
    for node in filesystem.files() {
        let Some(relative) = inside(&node.fullpath)? else {
            continue;
        };
        let path = into.join(&relative);
        let mode = u32::from(node.header.permissions) & 0o755;
        match &node.inner {
            InnerNode::Dir(_) => {
                std::fs::create_dir_all(&path).map_err(|error| cannot("make", &path, &error))?;
                folders.push((path, mode));
            }
            InnerNode::File(file) => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|error| cannot("make", parent, &error))?;
                }
                let mut out = std::fs::File::options()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .map_err(|error| cannot("write", &path, &error))?;
                std::io::copy(&mut filesystem.file(file).reader(), &mut out)
                    .map_err(|error| cannot("write", &path, &error))?;
                set_mode(&path, mode)?;
            }
            InnerNode::Symlink(link) => links.push((path, relative, link.link.clone())),
            _ => {
                return Err(format!(
                    "The AppImage holds a device, pipe or socket at {}, which no application \
                     needs; nothing was run.",
                    relative.display()
                ));
            }
        }
    }
    // Links last, each to a place inside the image, so none can carry a later file elsewhere.
    for (path, relative, target) in links {
        if !stays_inside(&relative, &target) {
            return Err(format!(
                "The AppImage's link {} points outside it; nothing was run.",
                relative.display()
            ));
        }
        make_link(&target, &path)?;
    }
    for (folder, mode) in folders {
        set_mode(&folder, mode | 0o700)?;
    }
    Ok(())
}

/// `path` of the image (`/usr/bin/x`) relative to its root (`usr/bin/x`); `None` for the root,
/// refused when it climbs out or names a root of its own.
fn inside(path: &Path) -> Result<Option<PathBuf>, String> {
    let mut relative = PathBuf::new();
    for component in path.components() {
        match component {
            Component::RootDir | Component::CurDir => {}
            Component::Normal(part) => relative.push(part),
            Component::ParentDir | Component::Prefix(_) => {
                return Err(format!(
                    "The AppImage names a file outside itself ({}); nothing was run.",
                    path.display()
                ));
            }
        }
    }
    Ok((!relative.as_os_str().is_empty()).then_some(relative))
}

/// Whether a link at `link` (relative to the image's root) to `target` ends inside the image.
fn stays_inside(link: &Path, target: &Path) -> bool {
    if target.is_absolute() {
        return false;
    }
    let mut depth: usize = link.components().count().saturating_sub(1);
    for component in target.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return false,
            },
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|error| cannot("set the permissions of", path, &error))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> Result<(), String> {
    Ok(())
}

#[cfg(unix)]
fn make_link(target: &Path, path: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(target, path).map_err(|error| cannot("link", path, &error))
}

#[cfg(not(unix))]
fn make_link(_: &Path, path: &Path) -> Result<(), String> {
    Err(format!(
        "{} is a link, which only Linux makes here.",
        path.display()
    ))
}

fn cannot(what: &str, path: &Path, error: &std::io::Error) -> String {
    format!(
        "The AppImage could not {what} {} ({error}).",
        path.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_cut_short_extraction_left_is_cleared_and_a_running_one_kept() {
        let cache =
            std::env::temp_dir().join(format!("appimage-runtime-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&cache);
        // No process has this number (the kernel's pid limit is below it).
        let abandoned = cache.join(".abc.4294967000");
        let running = cache.join(format!(".abc.{}", std::process::id()));
        let other_image = cache.join(".def.4294967000");
        for folder in [&abandoned, &running, &other_image] {
            std::fs::create_dir_all(folder.join("usr")).unwrap();
        }
        clear_abandoned(&cache, "abc");
        assert!(!abandoned.exists());
        assert!(running.exists(), "this process's own is in the making");
        assert!(
            other_image.exists(),
            "another image's is left to its own runs"
        );
        std::fs::remove_dir_all(&cache).unwrap();
    }

    /// A SquashFS image of a folder made by `fill`, as script/package makes one (mksquashfs,
    /// which the tests' set-up installs).
    fn image_of(name: &str, fill: impl FnOnce(&Path)) -> PathBuf {
        let root = std::env::temp_dir().join(format!("appimage-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let app_dir = root.join("AppDir");
        std::fs::create_dir_all(app_dir.join("usr/bin")).unwrap();
        std::fs::write(app_dir.join("usr/bin/app"), "#!/bin/sh\n").unwrap();
        std::os::unix::fs::symlink("usr/bin/app", app_dir.join("AppRun")).unwrap();
        fill(&app_dir);
        let image = root.join("image.squashfs");
        let made = std::process::Command::new("mksquashfs")
            .arg(&app_dir)
            .arg(&image)
            .args(["-comp", "gzip", "-noappend", "-quiet"])
            .output()
            .expect("mksquashfs (squashfs-tools) makes the test image");
        assert!(made.status.success(), "{made:?}");
        image
    }

    #[test]
    fn an_image_is_extracted_whole_into_the_cache_once() {
        let image = image_of("good", |_| {});
        let cache = image.with_file_name("cache");
        let done = cached(&image, 0, &cache).unwrap();
        assert!(done.join("usr/bin/app").is_file());
        assert_eq!(
            std::fs::read_link(done.join("AppRun")).unwrap(),
            Path::new("usr/bin/app")
        );
        assert_eq!(
            cached(&image, 0, &cache).unwrap(),
            done,
            "the same folder again"
        );
        std::fs::remove_dir_all(image.parent().unwrap()).unwrap();
    }

    #[test]
    fn an_image_with_a_link_out_of_itself_is_refused_and_leaves_nothing_to_run() {
        for (name, target) in [("absolute", "/etc"), ("climbing", "../../outside")] {
            let image = image_of(name, |app_dir| {
                std::os::unix::fs::symlink(target, app_dir.join("usr/escape")).unwrap();
            });
            let cache = image.with_file_name("cache");
            let refused = cached(&image, 0, &cache).unwrap_err();
            assert!(refused.contains("points outside it"), "{refused}");
            let left: Vec<_> = std::fs::read_dir(&cache).unwrap().collect();
            assert!(left.is_empty(), "{name}: {left:?} left in the cache");
            std::fs::remove_dir_all(image.parent().unwrap()).unwrap();
        }
    }

    #[test]
    fn paths_and_links_stay_inside_the_image() {
        assert_eq!(
            inside(Path::new("/usr/bin/kap-journal")).unwrap(),
            Some(PathBuf::from("usr/bin/kap-journal"))
        );
        assert_eq!(inside(Path::new("/")).unwrap(), None);
        assert!(inside(Path::new("/usr/../../etc/passwd")).is_err());

        let app_run = Path::new("AppRun");
        assert!(stays_inside(app_run, Path::new("usr/bin/kap-journal")));
        assert!(stays_inside(
            Path::new("usr/share/icons/x.png"),
            Path::new("../../../kap-journal.png")
        ));
        assert!(!stays_inside(app_run, Path::new("/usr/bin/kap-journal")));
        assert!(!stays_inside(app_run, Path::new("../etc")));
        assert!(!stays_inside(
            Path::new("usr/x"),
            Path::new("../../outside")
        ));
    }
}
