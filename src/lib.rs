//! kindly: a guided-mindfulness audio player for the terminal.

pub mod synth;

pub fn run() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
