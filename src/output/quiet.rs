//! Keep libasound's and JACK's own stderr lines off the screen.
//!
//! Opening a device with no sound card or no server makes libasound print
//! lines like `ALSA lib pcm.c:2721:(snd_pcm_open_noupdate) Unknown PCM` to
//! file descriptor 2, which a Rust writer cannot intercept. While the
//! device opens we point fd 2 at /dev/null, then put it back: nothing else
//! runs yet (the device opens before anything is drawn), so no message of
//! ours can be lost. kindly then says what happened in its own words.

/// Run `f` with fd 2 sent to /dev/null; restored even if `f` panics.
#[cfg(unix)]
pub(crate) fn without_stderr<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(libc::c_int);
    impl Drop for Restore {
        fn drop(&mut self) {
            if self.0 >= 0 {
                // SAFETY: `self.0` is a descriptor we duplicated from fd 2
                // and still own; dup2 and close on valid fds are sound.
                unsafe {
                    libc::dup2(self.0, 2);
                    libc::close(self.0);
                }
            }
        }
    }
    // SAFETY: plain descriptor calls; every failure is checked and leaves
    // fd 2 as it was.
    let _restore = unsafe {
        let saved = libc::dup(2);
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if saved >= 0 && null >= 0 {
            libc::dup2(null, 2);
        }
        if null >= 0 {
            libc::close(null);
        }
        Restore(if null >= 0 { saved } else { -1 })
    };
    f()
}

#[cfg(not(unix))]
pub(crate) fn without_stderr<T>(f: impl FnOnce() -> T) -> T {
    f()
}
