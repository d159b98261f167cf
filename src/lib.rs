//! kindly: a guided-mindfulness audio player for the terminal.

pub mod audio;
pub mod diagnostic;
pub mod duration;
pub mod mixer;
pub mod render;
pub mod script;
pub mod session;
pub mod synth;
pub mod timeline;

pub fn run() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
