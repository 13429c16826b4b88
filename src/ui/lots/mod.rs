//! The controlled-substance log in the window: every lot with what is left, one lot's entries with
//! the running balance, stock received, waste before a witness and corrections recorded inline (no
//! dialog), and the whole log saved as CSV. What a session administered is entered when it ends.

pub(super) mod substance_form;

use super::status::Status;
use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use self::substance_form::SubstanceForm;
use super::awaiting::Awaiting;
use super::background::Job;
use super::commands::{Scope, UiCommand};
use super::save_dialog::{Destination, EXPORT_CANCELLED, SaveDialog};
use super::theme;
use super::view::{AppView, Nav, ViewContext, back_on};
use crate::changes::RecordSubstance;
use crate::domain::{LotBalance, LotCode, SubstanceEntry};
use crate::export::{ExportError, exports_dir, write_atomically, write_substance_log};
use crate::format;
use crate::store::{ReaderSource, Store};
use crate::worker::Journal;

/// Where saving the log as CSV is.
#[derive(Default)]
enum Saving {
    #[default]
    Idle,
    /// The dialog, and what the job will open its own reader from.
    Choosing(SaveDialog, ReaderSource),
    Writing(std::path::PathBuf, Job<Result<usize, ExportError>>),
}

pub struct LotsView {
    lots: Vec<LotBalance>,
    /// The lot whose entries are shown; `None` shows every entry.
    chosen: Option<LotCode>,
    /// Newest first.
    entries: Vec<SubstanceEntry>,
    form: SubstanceForm,
    recording: Awaiting<crate::domain::SubstanceEntry>,
    status: Status,
    saving: Saving,
}

impl LotsView {
    pub fn load(store: &Store) -> Self {
        let mut view = Self {
            lots: Vec::new(),
            chosen: None,
            entries: Vec::new(),
            form: SubstanceForm::default(),
            recording: Awaiting::default(),
            status: Status::Quiet,
            saving: Saving::Idle,
        };
        view.reload(store);
        view
    }

    fn reload(&mut self, store: &Store) {
        let read = store
            .registers()
            .lot_balances()
            .and_then(|lots| Ok((lots, store.registers().substance_log(self.chosen.as_ref())?)));
        match read {
            Ok((lots, mut entries)) => {
                self.lots = lots;
                // Shown newest first.
                entries.reverse();
                self.entries = entries;
            }
            Err(error) => self.status = Status::problem(error),
        }
    }

    fn draw(&mut self, ui: &mut Ui, journal: &Journal) -> Nav {
        let mut nav = Nav::Stay;
        self.take_answer(journal.read());
        self.poll_saving(ui.ctx());
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.add(UiCommand::Back.button(ui.ctx())).clicked() {
                    nav = Nav::Home;
                }
                ui.heading("Controlled substances");
                let saving = !matches!(self.saving, Saving::Idle);
                if ui
                    .add_enabled(!saving, egui::Button::new("Save the log as CSV..."))
                    .clicked()
                {
                    self.choose_file(ui.ctx(), journal.read());
                }
                if saving {
                    ui.spinner();
                }
            });
            ui.label(
                RichText::new(
                    "Ketamine is Schedule III: every lot's stock received, given and wasted is kept here \
                     for years. Entries are never changed; a wrong one is answered by a correction.",
                )
                .color(theme::muted()),
            );
            self.status.show(ui);
            ui.add_space(theme::GAP);
            self.record_form(ui, journal);
            ui.add_space(theme::GAP);
            ui.separator();
            let changed = self.lot_table(ui);
            if changed {
                self.reload(journal.read());
            }
            ui.add_space(theme::GAP);
            if let Some(session) = self.entry_list(ui) {
                nav = Nav::OpenSession(session, None);
            }
        });
        nav
    }

    fn record_form(&mut self, ui: &mut Ui, journal: &Journal) {
        if self.form.ui(ui, self.recording.is_waiting()) {
            match self.form.entry(&self.lots) {
                Ok(entry) => {
                    let at = crate::domain::wall_now();
                    self.recording.send(journal, RecordSubstance { entry, at });
                }
                Err(error) => self.status = Status::problem(error),
            }
        }
    }

    fn take_answer(&mut self, store: &Store) {
        match self.recording.answer() {
            Some(Ok(entry)) => {
                self.status = Status::done(format!(
                    "Recorded: lot {} {} {}; the balance is {}.",
                    entry.lot,
                    entry.movement,
                    format::milligrams(entry.change_mg),
                    format::milligrams(entry.balance_mg)
                ));
                self.form.clear();
                self.reload(store);
            }
            Some(Err(error)) => self.status = Status::problem(error),
            None => {}
        }
    }

    /// Every lot; returns true when another lot (or all) was chosen.
    fn lot_table(&mut self, ui: &mut Ui) -> bool {
        let mut changed = false;
        ui.horizontal(|ui| {
            ui.label(RichText::new("Lots").strong());
            if ui
                .selectable_label(self.chosen.is_none(), "Every lot")
                .clicked()
                && self.chosen.is_some()
            {
                self.chosen = None;
                changed = true;
            }
        });
        if self.lots.is_empty() {
            ui.label(
                RichText::new("No lots yet: record stock received above.").color(theme::muted()),
            );
            return false;
        }
        // A practice's years of lots scroll in a band of their own; the entries keep the rest.
        egui::ScrollArea::vertical()
            .id_salt("lots_table")
            .max_height(190.0)
            .show(ui, |ui| self.lot_grid(ui, &mut changed));
        changed
    }

    fn lot_grid(&mut self, ui: &mut Ui, changed: &mut bool) {
        egui::Grid::new("lots")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for heading in [
                    "Lot",
                    "Substance",
                    "Received",
                    "Administered",
                    "Wasted",
                    "Balance",
                ] {
                    ui.label(RichText::new(heading).strong());
                }
                ui.end_row();
                for lot in &self.lots {
                    let chosen = self.chosen.as_ref() == Some(&lot.lot);
                    if ui.selectable_label(chosen, lot.lot.as_str()).clicked() && !chosen {
                        self.chosen = Some(lot.lot.clone());
                        *changed = true;
                    }
                    ui.label(lot.substance.label());
                    ui.label(format::milligrams(lot.received_mg));
                    ui.label(format::milligrams(lot.administered_mg));
                    ui.label(format::milligrams(lot.wasted_mg));
                    let balance = RichText::new(format::milligrams(lot.balance_mg)).strong();
                    ui.label(if lot.balance_mg < 0.0 {
                        balance.color(theme::warning())
                    } else {
                        balance
                    });
                    ui.end_row();
                }
            });
    }

    /// The chosen lot's entries (or every entry), newest first, with the running balance; returns
    /// the session whose link was clicked.
    fn entry_list(&self, ui: &mut Ui) -> Option<crate::domain::SessionId> {
        let mut open = None;
        let title = self
            .chosen
            .as_ref()
            .map_or_else(|| "Every entry".to_owned(), |lot| format!("Lot {lot}"));
        ui.label(RichText::new(title).strong());
        // Only the rows in view are laid out: the 20,000-session demo's log has as many entries.
        TableBuilder::new(ui)
            .id_salt("substance_log")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(130.0))
            .column(Column::exact(100.0))
            .column(Column::exact(100.0))
            .column(Column::exact(100.0))
            .column(Column::exact(110.0))
            .column(Column::remainder())
            .header(22.0, |mut header| {
                for heading in ["When", "Lot", "Entry", "Change", "Balance", "Detail"] {
                    header.col(|ui| {
                        ui.label(RichText::new(heading).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(24.0, self.entries.len(), |mut row| {
                    let entry = &self.entries[row.index()];
                    for text in [
                        format::date_time(entry.at),
                        entry.lot.to_string(),
                        entry.movement.to_owned(),
                        format::milligrams(entry.change_mg),
                        format::milligrams(entry.balance_mg),
                    ] {
                        row.col(|ui| {
                            ui.label(text);
                        });
                    }
                    row.col(|ui| {
                        if entry.clock_earlier {
                            ui.colored_label(theme::warning(), "Clock earlier than an entry before it.")
                                .on_hover_text("Recorded after the entries above it, dated before them: a clock set back, or an entry dated back. The log keeps the order it was recorded in.");
                        }
                        if let Some(session) = entry.session
                            && ui.link(format!("session #{}", session.0)).clicked()
                        {
                            open = Some(session);
                        }
                        ui.label(detail(entry));
                    });
                });
            });
        open
    }

    fn choose_file(&mut self, ctx: &egui::Context, store: &Store) {
        let name = format!(
            "kap-journal-controlled-substances-{}.csv",
            chrono::Local::now().format("%Y-%m-%d")
        );
        let dialog = SaveDialog::open(ctx, &name, ("CSV", "csv"), &exports_dir(store.dir()));
        self.saving = Saving::Choosing(dialog, store.reader_source());
        self.status = Status::Quiet;
    }

    /// Once a file is chosen, the log is read and written by a job on a reader of its own.
    fn poll_saving(&mut self, ctx: &egui::Context) {
        match &self.saving {
            Saving::Idle => {}
            Saving::Choosing(dialog, source) => match dialog.destination(ctx) {
                Destination::Waiting => {}
                Destination::Cancelled => {
                    self.saving = Saving::Idle;
                    self.status = Status::done(EXPORT_CANCELLED);
                }
                Destination::To { path, .. } => {
                    let (source, written) = (source.clone(), path.clone());
                    let job = Job::start(ctx, "substance log", move |_| {
                        let reader = source.open()?;
                        let entries = reader.registers().substance_log(None)?;
                        let synthetic = reader.record().is_synthetic()?;
                        write_atomically(&written, reader.dir(), |out| {
                            write_substance_log(&entries, synthetic, out)
                        })?;
                        Ok(entries.len())
                    });
                    self.saving = Saving::Writing(path, job);
                    self.poll_saving(ctx);
                }
            },
            Saving::Writing(path, job) => {
                let Some(written) = job.take(|| Err(ExportError::Stopped)) else {
                    return;
                };
                self.status = match written {
                    Ok(count) => Status::done(format!(
                        "Saved {} to {}.",
                        format::count(count, "entry", "entries"),
                        path.display()
                    )),
                    Err(error) => Status::problem(error),
                };
                self.saving = Saving::Idle;
            }
        }
    }
}

impl AppView for LotsView {
    fn scope(&self) -> Scope {
        Scope::Reading
    }

    fn run(&mut self, command: UiCommand, _cx: &mut ViewContext<'_>) -> Nav {
        back_on(command)
    }

    fn ui(&mut self, ui: &mut Ui, cx: &mut ViewContext<'_>) -> Nav {
        self.draw(ui, cx.journal)
    }
}

/// What else an entry says beside its session: its witness, who recorded it, its note.
fn detail(entry: &SubstanceEntry) -> String {
    let mut parts = Vec::new();
    if !entry.witness.is_empty() {
        parts.push(format!("witness {}", entry.witness));
    }
    if !entry.recorded_by.is_empty() {
        parts.push(format!("by {}", entry.recorded_by));
    }
    if !entry.note.is_empty() {
        parts.push(entry.note.clone());
    }
    parts.join(" · ")
}
