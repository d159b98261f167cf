//! The sound cache: built-in sounds rendered at a device's rate, kept on
//! disk between sessions (the I/O side of `mixer::SoundStore`).
//!
//! Synthesis is exact and repeatable, so a stored sound is the rendered
//! one, bit for bit; keeping it only saves the CPU (a rain loop is a tenth
//! of a second of it). A file is named by the sound, its format, the
//! recipes' revision and kindly's version, so a changed recipe never
//! finds an old sound. Each file carries a checksum: a file cut short or
//! damaged is ignored and rendered again, never played. Writes go through
//! a temporary file renamed into place, so a reader sees a whole file or
//! none; every failure here is silent, because the cache only saves time.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::mixer::SoundStore;

/// What every cache file starts with.
const MAGIC: &[u8; 8] = b"KINDLYS1";
/// The magic and the checksum.
const HEADER: usize = 16;

/// Sounds in one folder (`Dirs::sound_cache`).
#[derive(Debug, Clone)]
pub(crate) struct DiskStore {
    dir: PathBuf,
}

impl DiskStore {
    pub(crate) fn new(dir: PathBuf) -> DiskStore {
        DiskStore { dir }
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir
            .join(format!("{key}-v{}.f32", env!("CARGO_PKG_VERSION")))
    }

    /// Files of other versions or revisions: nothing will read them again.
    /// And temporary files a minute old: a session that ended while a
    /// sound was being stored left them (younger ones may be another
    /// kindly's, still writing).
    fn prune(&self, keep: &Path) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let suffix = format!(
            "-r{}-v{}.f32",
            crate::synth::REVISION,
            env!("CARGO_PKG_VERSION")
        );
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let stale = if name.ends_with(".part") {
                entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age > Duration::from_secs(60))
            } else {
                name.ends_with(".f32") && !name.ends_with(&suffix)
            };
            if stale && entry.path() != keep {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

impl SoundStore for DiskStore {
    fn load(&self, key: &str, len: usize) -> Option<Vec<f32>> {
        // Anything but a regular file of exactly the right size is a miss,
        // never a read: the cache only saves CPU.
        let want = (HEADER + len * 4) as u64;
        let (mut file, size) = crate::safe_file::open_regular(&self.path(key), want).ok()?;
        if size != want {
            return None;
        }
        let mut header = [0u8; HEADER];
        file.read_exact(&mut header).ok()?;
        if &header[..8] != MAGIC {
            return None;
        }
        let sum = u64::from_le_bytes(header[8..].try_into().ok()?);
        // Straight into the samples: a loop is megabytes, read at every
        // session start.
        let mut samples = vec![0.0f32; len];
        file.read_exact(bytemuck::cast_slice_mut(&mut samples))
            .ok()?;
        if cfg!(target_endian = "big") {
            for s in &mut samples {
                *s = f32::from_bits(u32::from_le(s.to_bits()));
            }
        }
        (checksum(&samples) == sum).then_some(samples)
    }

    fn store(&self, key: &str, samples: &[f32]) {
        let path = self.path(key);
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let Ok(mut tmp) = tempfile::Builder::new()
            .prefix(".storing-")
            .suffix(".part")
            .tempfile_in(&self.dir)
        else {
            return;
        };
        let written = write(tmp.as_file_mut(), samples).and_then(|()| tmp.flush());
        if written.is_ok() && tmp.persist(&path).is_ok() {
            self.prune(&path);
        }
    }
}

/// The magic, the checksum, then the samples as little-endian f32.
fn write(out: &mut impl Write, samples: &[f32]) -> std::io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&checksum(samples).to_le_bytes())?;
    if cfg!(target_endian = "little") {
        out.write_all(bytemuck::cast_slice(samples))
    } else {
        let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        out.write_all(&bytes)
    }
}

/// FNV-1a over the samples' bits in four interleaved lanes (so the
/// multiplies do not wait on each other), folded into one. It only has to
/// notice damage, not resist an adversary.
fn checksum(samples: &[f32]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut lanes = [0xcbf2_9ce4_8422_2325u64; 4];
    let mut quads = samples.chunks_exact(4);
    for q in &mut quads {
        for (h, s) in lanes.iter_mut().zip(q) {
            *h = (*h ^ u64::from(s.to_bits())).wrapping_mul(PRIME);
        }
    }
    for (h, s) in lanes.iter_mut().zip(quads.remainder()) {
        *h = (*h ^ u64::from(s.to_bits())).wrapping_mul(PRIME);
    }
    lanes
        .iter()
        .fold(samples.len() as u64, |acc, h| (acc ^ h).wrapping_mul(PRIME))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, DiskStore) {
        let dir = tempfile::tempdir().unwrap();
        let store = DiskStore::new(dir.path().join("sounds"));
        (dir, store)
    }

    #[test]
    fn a_stored_sound_comes_back_bit_for_bit() {
        let (_dir, s) = store();
        let samples = vec![0.5, -0.25, f32::MIN_POSITIVE, -0.0, 1.0e-30];
        s.store("rain-48000hz-2ch-r1", &samples);
        let back = s.load("rain-48000hz-2ch-r1", samples.len()).unwrap();
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(&samples));
        assert_eq!(s.load("rain-44100hz-2ch-r1", samples.len()), None);
    }

    #[test]
    fn a_damaged_or_short_file_is_ignored() {
        let (_dir, s) = store();
        let samples = vec![0.5f32; 64];
        s.store("bowl-48000hz-1ch-r1", &samples);
        let path = s.path("bowl-48000hz-1ch-r1");
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(s.load("bowl-48000hz-1ch-r1", 64).is_some());
        // The wrong length asked for, a flipped bit, a cut-off end.
        assert_eq!(s.load("bowl-48000hz-1ch-r1", 63), None);
        bytes[HEADER + 9] ^= 0x10;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(s.load("bowl-48000hz-1ch-r1", 64), None);
        std::fs::write(&path, &bytes[..bytes.len() - 4]).unwrap();
        assert_eq!(s.load("bowl-48000hz-1ch-r1", 64), None);
        std::fs::write(&path, b"not a sound").unwrap();
        assert_eq!(s.load("bowl-48000hz-1ch-r1", 64), None);
    }

    #[test]
    fn a_fifo_or_dev_zero_in_the_cache_is_a_miss_not_a_hang() {
        let (_dir, s) = store();
        s.store("bowl-48000hz-1ch-r1", &[0.5f32; 64]);
        let path = s.path("bowl-48000hz-1ch-r1");
        std::fs::remove_file(&path).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|st| st.success()), "mkfifo");
        assert_eq!(s.load("bowl-48000hz-1ch-r1", 64), None);
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink("/dev/zero", &path).unwrap();
        assert_eq!(s.load("bowl-48000hz-1ch-r1", 64), None);
    }

    #[test]
    fn storing_prunes_other_revisions_and_leaves_no_parts() {
        let (_dir, s) = store();
        std::fs::create_dir_all(&s.dir).unwrap();
        let old = s.dir.join("rain-48000hz-2ch-r0-v0.0.1.f32");
        std::fs::write(&old, b"old").unwrap();
        s.store(
            &format!("rain-48000hz-2ch-r{}", crate::synth::REVISION),
            &[0.1],
        );
        let names: Vec<String> = std::fs::read_dir(&s.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(names[0].starts_with("rain-48000hz-2ch-r"), "{names:?}");
    }

    #[test]
    fn storing_removes_temporary_files_left_long_ago_but_not_fresh_ones() {
        let (_dir, s) = store();
        std::fs::create_dir_all(&s.dir).unwrap();
        let old = s.dir.join(".storing-old.part");
        let fresh = s.dir.join(".storing-fresh.part");
        std::fs::write(&old, b"cut short").unwrap();
        std::fs::write(&fresh, b"being written").unwrap();
        let long_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&old)
            .unwrap()
            .set_modified(long_ago)
            .unwrap();
        s.store(
            &format!("bowl-48000hz-1ch-r{}", crate::synth::REVISION),
            &[0.1],
        );
        assert!(!old.exists());
        assert!(fresh.exists());
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_no_store_and_no_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"x").unwrap();
        let s = DiskStore::new(blocker.join("sounds"));
        s.store("k", &[0.5]);
        assert_eq!(s.load("k", 1), None);
    }
}
