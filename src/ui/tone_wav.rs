//! The alert tone as a WAV file, for a player of the desktop's to play (Linux): 0.4 s of 880 Hz at a
//! quarter of full scale, faded in and out over 10 ms so it starts and stops without a click.
//! Written at the first alert of a run into the user's private runtime folder (or the temporary
//! folder).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const RATE: u32 = 44_100;
const MILLIS: u32 = 400;
const FADE_MILLIS: u32 = 10;

/// The tone's file, written on first use; `None` when it cannot be written (then no tone).
pub fn written() -> Option<&'static Path> {
    static WAV: OnceLock<Option<PathBuf>> = OnceLock::new();
    WAV.get_or_init(|| {
        let dir = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|dir| dir.is_absolute() && dir.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        // One file for every run (written whole under a name of this process's, then renamed, so
        // a player of another window never reads half of it), not one left behind per run.
        let path = dir.join("kap-journal-tone.wav");
        let writing = dir.join(format!("kap-journal-tone-{}.wav", std::process::id()));
        let written =
            std::fs::write(&writing, wav()).and_then(|()| std::fs::rename(&writing, &path));
        if written.is_err() {
            let _ = std::fs::remove_file(&writing);
        }
        written.ok().map(|()| path)
    })
    .as_deref()
}

/// The tone as the bytes of a 16-bit mono PCM WAV file.
pub fn wav() -> Vec<u8> {
    let samples = RATE * MILLIS / 1000;
    let fade = RATE * FADE_MILLIS / 1000;
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16_u32.to_le_bytes());
    out.extend_from_slice(&1_u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1_u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2_u16.to_le_bytes());
    out.extend_from_slice(&16_u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for n in 0..samples {
        let t = f64::from(n) / f64::from(RATE);
        let envelope = f64::from(n.min(samples - 1 - n).min(fade)) / f64::from(fade);
        let value = (t * 880.0 * std::f64::consts::TAU).sin() * 0.25 * envelope;
        #[allow(clippy::cast_possible_truncation)] // |value| <= 0.25 of full scale
        let sample = (value * f64::from(i16::MAX)).round() as i16;
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tone_is_a_wav_of_0_4_s_quiet_at_both_ends() {
        let bytes = wav();
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(&bytes[8..16], b"WAVEfmt ");
        let data = &bytes[44..];
        assert_eq!(data.len(), 44_100 * 2 * 400 / 1000);
        let sample = |i: usize| i16::from_le_bytes([data[2 * i], data[2 * i + 1]]);
        assert_eq!(sample(0), 0, "faded in");
        assert!(sample(data.len() / 2 - 1).abs() < 200, "faded out");
        let loudest = (0..data.len() / 2).map(|i| sample(i).unsigned_abs()).max();
        assert!(
            loudest.is_some_and(|peak| peak > 8000 && peak <= 8192),
            "{loudest:?}"
        );
    }
}
