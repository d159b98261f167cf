//! `FileSource`: the session's files, checked up front, opened on demand.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::decode::{probe, DecodedStream, FileInfo};
use super::{AudioError, AudioErrorKind};
use crate::mixer::{FrameStream, OpenError, SoundSource};
use crate::session::SoundRef;
use crate::timeline::{Format, Frames, SoundLengths};

/// Every file a session uses, probed before anything plays. It gives the
/// timeline compiler their lengths and the mixer their streams.
#[derive(Debug, Clone)]
pub(crate) struct FileSource {
    format: Format,
    files: HashMap<PathBuf, FileInfo>,
}

impl FileSource {
    pub(crate) fn new(format: Format) -> FileSource {
        FileSource {
            format,
            files: HashMap::new(),
        }
    }

    /// Probe every file `sounds` names; collect every problem, so a person
    /// fixes them all in one go.
    pub(crate) fn probe_all<'a>(
        format: Format,
        sounds: impl IntoIterator<Item = &'a SoundRef>,
    ) -> Result<FileSource, Vec<AudioError>> {
        let mut source = FileSource::new(format);
        source.probe_new(sounds)?;
        Ok(source)
    }

    /// Probe the files `sounds` names that are not known yet (a session's
    /// words made while it plays); every problem is collected.
    pub(crate) fn probe_new<'a>(
        &mut self,
        sounds: impl IntoIterator<Item = &'a SoundRef>,
    ) -> Result<(), Vec<AudioError>> {
        let mut errors = Vec::new();
        for sound in sounds {
            if let SoundRef::File(path) = sound {
                if self.files.contains_key(path)
                    || errors.iter().any(|e: &AudioError| &e.path == path)
                {
                    continue;
                }
                match probe(path) {
                    Ok(info) => {
                        self.files.insert(path.clone(), info);
                    }
                    Err(e) => errors.push(e),
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

impl SoundLengths for FileSource {
    fn length(&self, sound: &SoundRef) -> Option<Duration> {
        match sound {
            SoundRef::File(p) => self.files.get(p).map(|i| i.duration),
            other => crate::timeline::BuiltinLengths.length(other),
        }
    }
}

impl SoundSource for FileSource {
    fn open(
        &self,
        sound: &SoundRef,
        from_frame: Frames,
    ) -> Result<Box<dyn FrameStream>, OpenError> {
        match sound {
            SoundRef::File(path) => Ok(Box::new(DecodedStream::open(
                path,
                self.format,
                from_frame,
            )?)),
            other => Err(Box::new(AudioError::new(
                Path::new(&other.to_string()),
                AudioErrorKind::NotFound,
            ))),
        }
    }

    fn frames(&self, sound: &SoundRef) -> Option<Frames> {
        self.length(sound)
            .map(|d| Frames::from_duration(d, self.format.rate))
    }
}
