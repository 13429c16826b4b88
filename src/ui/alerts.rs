//! Alerts that reach the clinician without a dialog. When a "sit with it" countdown reaches zero or
//! a safety flag rises, the window asks for attention (the taskbar entry flashes) and, when this
//! computer allows it, plays a short tone. Nothing blocks typing; the header (or the lock screen)
//! already says what it is.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::{Seq, SessionId, active_flags};
use crate::live::LiveSession;

/// Something that can sound an alert.
pub trait Tone: Send + Sync {
    fn play(&self);
}

/// The computer's speaker: a 0.4-second tone on a thread of its own. A computer without sound
/// (or with its audio busy) stays silent; the alert on screen and the attention request remain.
pub struct Speaker;

#[cfg(not(target_os = "linux"))]
impl Tone for Speaker {
    fn play(&self) {
        std::thread::spawn(|| {
            use rodio::Source;
            let Ok(mut sink) = rodio::DeviceSinkBuilder::open_default_sink() else {
                return;
            };
            sink.log_on_drop(false);
            let tone = rodio::source::SineWave::new(880.0)
                .amplify(0.25)
                .take_duration(Duration::from_millis(400));
            sink.mixer().add(tone);
            std::thread::sleep(Duration::from_millis(500));
        });
    }
}

/// On Linux the tone is a WAV the journal writes once and hands to the desktop's own player
/// (`pw-play` of `PipeWire`, `paplay` of `PulseAudio`, `aplay` of ALSA, the first there is), so the
/// journal neither links nor needs the sound library to build.
#[cfg(target_os = "linux")]
impl Tone for Speaker {
    fn play(&self) {
        std::thread::spawn(|| {
            let Some(wav) = super::tone_wav::written() else {
                return;
            };
            for player in ["pw-play", "paplay", "aplay"] {
                let started = std::process::Command::new(player)
                    .arg(wav)
                    .stdin(std::process::Stdio::null())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn();
                if let Ok(mut child) = started {
                    let _ = child.wait();
                    return;
                }
            }
        });
    }
}

/// What was already alerted for in the session on screen.
pub struct Alerts {
    tone: Arc<dyn Tone>,
    session: Option<SessionId>,
    flags: BTreeSet<String>,
    expired: BTreeSet<Seq>,
}

impl Alerts {
    pub fn new(tone: Arc<dyn Tone>) -> Self {
        Self {
            tone,
            session: None,
            flags: BTreeSet::new(),
            expired: BTreeSet::new(),
        }
    }

    /// Looks at the session once a frame (also while the window is hidden or locked) and alerts
    /// for each flag or ended countdown that was not there before. What already stands when a
    /// session comes on screen (after a restart) is shown, not sounded. Asks to be woken when the
    /// next countdown ends.
    pub fn check(&mut self, ctx: &egui::Context, live: &LiveSession, sound: bool) {
        let now = live.elapsed_ms();
        let state = live.shown_state();
        let flags: BTreeSet<String> = active_flags(&state.latest, &live.settings().thresholds)
            .into_iter()
            .collect();
        let expired: BTreeSet<Seq> = state
            .open_deferrals
            .iter()
            .filter(|open| open.remaining_ms(now) <= 0)
            .map(|open| open.seq)
            .collect();
        let first_look = self.session != Some(live.session().id);
        let risen = flags.difference(&self.flags).next().is_some()
            || expired.difference(&self.expired).next().is_some();
        self.session = Some(live.session().id);
        self.flags = flags;
        self.expired = expired;
        if risen && !first_look {
            ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                egui::UserAttentionType::Critical,
            ));
            if sound {
                self.tone.play();
            }
        }
        if let Some(next) = state
            .open_deferrals
            .iter()
            .map(|open| open.remaining_ms(now))
            .filter(|remaining| *remaining > 0)
            .min()
        {
            ctx.request_repaint_after(Duration::from_millis(next.unsigned_abs()));
        }
    }
}
