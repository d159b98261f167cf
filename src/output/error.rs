//! The device's errors, and the words a person reads for each.
//!
//! Every way the sound device fails, at opening or mid-session, ends as a
//! `DeviceError`, whose words say what happened; the commands add what to
//! do (`--silent`, `kindly render`). The words live here, in one place, so
//! the ways of failing read alike.

use std::fmt;

use rodio::cpal;

use super::health::Loss;

/// Why the device could not be opened, or can no longer play, in words
/// for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeviceError {
    cause: String,
}

impl DeviceError {
    /// A loss said in these words: for tests of what reacts to one.
    #[cfg(test)]
    pub(crate) fn new(cause: impl Into<String>) -> DeviceError {
        DeviceError {
            cause: cause.into(),
        }
    }
}

impl fmt::Display for DeviceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cause)
    }
}

/// Why `Stream::open_default` failed.
#[derive(Debug)]
pub(super) enum OpenError {
    NoDevice,
    Cpal(cpal::Error),
}

impl From<cpal::Error> for OpenError {
    fn from(e: cpal::Error) -> OpenError {
        OpenError::Cpal(e)
    }
}

impl From<OpenError> for DeviceError {
    fn from(e: OpenError) -> DeviceError {
        let cause = match e {
            OpenError::NoDevice => {
                "no audio output device was found (no sound card or sound server)".to_owned()
            }
            OpenError::Cpal(c) => format!(
                "the audio device could not be opened: it may be busy, or no sound server is running ({c})"
            ),
        };
        DeviceError { cause }
    }
}

impl From<Loss> for DeviceError {
    fn from(loss: Loss) -> DeviceError {
        let cause = match loss {
            Loss::Gone { cause } => format!("the sound device went away ({cause})"),
            Loss::Failing { last } => format!(
                "the sound device keeps failing; the sound server may have stopped ({})",
                last.unwrap_or_default()
            ),
            Loss::Stalled { quiet, last } => format!(
                "the sound device stopped taking audio {} s ago; the sound server may have stopped{}",
                quiet.as_secs(),
                last.map_or(String::new(), |e| format!(" (last error: {e})"))
            ),
        };
        DeviceError { cause }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn words(e: impl Into<DeviceError>) -> String {
        e.into().to_string()
    }

    #[test]
    fn an_open_failure_says_what_is_missing() {
        assert_eq!(
            words(OpenError::NoDevice),
            "no audio output device was found (no sound card or sound server)"
        );
        let busy = cpal::Error::new(cpal::ErrorKind::DeviceBusy);
        assert_eq!(
            words(OpenError::from(busy.clone())),
            format!(
                "the audio device could not be opened: it may be busy, or no sound server is running ({busy})"
            )
        );
    }

    #[test]
    fn a_loss_says_how_the_device_went() {
        assert_eq!(
            words(Loss::Gone {
                cause: "device not available".into()
            }),
            "the sound device went away (device not available)"
        );
        assert_eq!(
            words(Loss::Failing {
                last: Some("broken pipe".into())
            }),
            "the sound device keeps failing; the sound server may have stopped (broken pipe)"
        );
        assert_eq!(
            words(Loss::Stalled {
                quiet: Duration::from_millis(4020),
                last: None
            }),
            "the sound device stopped taking audio 4 s ago; the sound server may have stopped"
        );
        assert_eq!(
            words(Loss::Stalled {
                quiet: Duration::from_secs(5),
                last: Some("underrun".into())
            }),
            "the sound device stopped taking audio 5 s ago; the sound server may have stopped (last error: underrun)"
        );
    }
}
