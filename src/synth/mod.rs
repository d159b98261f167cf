//! Built-in sounds, synthesized by kindly itself.
