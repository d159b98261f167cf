//! `kindly render`: a session to a WAV file, offline.

use crate::cli::RenderArgs;
use crate::dirs::Dirs;
use crate::error::{Error, Result, Status};

pub(super) fn run(_args: &RenderArgs, _dirs: Option<&Dirs>) -> Result<Status> {
    Err(Error::new("`kindly render` is not built yet"))
}
