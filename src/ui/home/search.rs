//! Search as you type over every session's words, with model and client filters; the results list
//! opens a session at the entry that matched.

use egui::text::LayoutJob;
use egui::{Key, Modifiers, RichText, TextFormat, Ui};

use super::super::commands::UiCommand;
use super::super::view::Nav;
use super::super::{format, theme, widgets};
use super::search_runner::SearchRunner;
use crate::domain::{Seq, SessionId, TreatmentModel};
use crate::store::{MatchCount, SearchHit, SearchQuery, Store};
use crate::worker::Journal;

/// How many hits the list shows at first, and how many more each "Show more" adds: the newest
/// matches ranked best first, then the older ones, so every match can be reached.
const HIT_LIMIT: usize = 200;

/// The search field, the filters it shares with the session lists, and the current hits.
#[derive(Default)]
pub struct SearchPanel {
    pub query: String,
    pub model: Option<TreatmentModel>,
    pub client: Option<String>,
    clients: Vec<crate::domain::Client>,
    hits: Vec<SearchHit>,
    /// How many entries match (more than `hits` holds when the list is cut), counted a thousand
    /// past the hits asked for.
    total: MatchCount,
    /// How many hits the current search asks for: grows with "Show more".
    limit: usize,
    /// "Show more" was clicked: the same search runs again, further.
    more_asked: bool,
    selected: usize,
    /// Set when the arrow keys moved the selection, so the list scrolls to it once.
    scroll_to_selected: bool,
    /// The inputs the current hits were found for; a change runs the search again.
    searched: Option<(String, Option<TreatmentModel>, Option<String>)>,
    /// The searches running beside the window; the hits shown stay until the newest's come.
    searches: SearchRunner,
    error: Option<String>,
    /// The search shortcut was pressed: the field takes the focus when it next draws.
    focus_requested: bool,
}

impl SearchPanel {
    /// Reads the client list again and forgets the hits, so the next frame searches afresh.
    pub fn reload(&mut self, store: &Store) {
        match store.record().clients() {
            Ok(clients) => self.clients = clients,
            Err(error) => self.error = Some(error.to_string()),
        }
        self.searched = None;
    }

    /// Puts the cursor in the search field (its shortcut).
    pub fn focus(&mut self) {
        self.focus_requested = true;
    }

    /// Whether there is a query, so the results replace the session lists.
    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty()
    }

    /// The field and the filters. Returns where to go: the hit to open when Enter was pressed in the
    /// field, or the chosen client's prep view or history.
    pub fn bar(&mut self, ui: &mut Ui, journal: &Journal) -> Nav {
        let mut nav = Nav::Stay;
        let field_id = ui.make_persistent_id("search_field");
        if std::mem::take(&mut self.focus_requested) {
            ui.memory_mut(|memory| memory.request_focus(field_id));
        }
        let mut open = None;
        if self.is_active() && ui.memory(|memory| memory.has_focus(field_id)) {
            // Arrow keys walk the results while typing continues in the field.
            let (down, up, enter) = ui.input_mut(|input| {
                (
                    input.consume_key(Modifiers::NONE, Key::ArrowDown),
                    input.consume_key(Modifiers::NONE, Key::ArrowUp),
                    input.consume_key(Modifiers::NONE, Key::Enter),
                )
            });
            if down {
                self.selected = (self.selected + 1).min(self.hits.len().saturating_sub(1));
            }
            if up {
                self.selected = self.selected.saturating_sub(1);
            }
            self.scroll_to_selected |= down || up;
            if enter {
                open = self
                    .hits
                    .get(self.selected)
                    .map(|hit| (hit.session_id, hit.seq));
            }
        }
        ui.horizontal(|ui| {
            let label = ui.label(RichText::new("Search").strong());
            ui.add(
                egui::TextEdit::singleline(&mut self.query)
                    .id(field_id)
                    .hint_text(format!(
                        "notes, decision points, outcomes ({})",
                        ui.ctx().format_shortcut(&UiCommand::FocusSearch.shortcut())
                    ))
                    .desired_width(340.0),
            )
            .labelled_by(label.id);
            ui.separator();
            ui.label("Model");
            ui.selectable_value(&mut self.model, None, "All");
            for model in TreatmentModel::ALL {
                let text = widgets::model_choice_text(model, self.model == Some(model));
                ui.selectable_value(&mut self.model, Some(model), text);
            }
            ui.separator();
            let label = ui.label("Client");
            egui::ComboBox::from_id_salt("client_filter")
                .selected_text(self.client.as_deref().unwrap_or("All clients"))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.client, None, "All clients");
                    for client in &self.clients {
                        ui.selectable_value(
                            &mut self.client,
                            Some(client.code.clone()),
                            client.title(),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            let chosen = self
                .client
                .as_ref()
                .and_then(|code| self.clients.iter().find(|client| &client.code == code));
            if let Some(client) = chosen {
                if ui.button("Prep view").clicked() {
                    nav = Nav::Prep(client.id);
                }
                if ui.button("Client history").clicked() {
                    nav = Nav::ClientHistory(client.id);
                }
            }
        });
        self.search_if_changed(ui.ctx(), journal);
        self.take_hits(ui.ctx());
        if let Some((session, seq)) = open {
            nav = Nav::OpenSession(session, Some(seq));
        }
        nav
    }

    /// Starts a search beside the window when the inputs changed; the frame never runs one.
    fn search_if_changed(&mut self, ctx: &egui::Context, journal: &Journal) {
        let inputs = (self.query.clone(), self.model, self.client.clone());
        let same = self.searched.as_ref() == Some(&inputs);
        if same && !self.more_asked {
            return;
        }
        if !same {
            // New words or filters start again from the first page.
            self.limit = HIT_LIMIT;
        }
        self.more_asked = false;
        self.error = None;
        if self.is_active() {
            let query = SearchQuery {
                text: inputs.0.clone(),
                model: inputs.1,
                client_code: inputs.2.clone(),
                limit: self.limit,
            };
            self.searches
                .search(ctx, || journal.read().reader_source(), query);
        } else {
            self.searches.clear();
            self.selected = 0;
            self.hits.clear();
        }
        self.searched = Some(inputs);
    }

    /// Takes the hits of the newest search once they have come.
    fn take_hits(&mut self, ctx: &egui::Context) {
        let Some(answer) = self.searches.poll(ctx) else {
            return;
        };
        self.selected = 0;
        match answer {
            Ok((mut hits, total)) => {
                // The models are kept apart: KAP hits, then Medical Model hits, each best first.
                hits.sort_by_key(|hit| hit.model != TreatmentModel::Kap);
                self.hits = hits;
                self.total = total;
            }
            Err(error) => {
                self.hits.clear();
                self.total = MatchCount::default();
                self.error = Some(error.to_string());
            }
        }
    }

    /// The hits, best first; returns the one clicked.
    pub fn results(&mut self, ui: &mut Ui) -> Option<(SessionId, Seq)> {
        widgets::error_line(ui, self.error.as_deref());
        let more = self.hits.len() < self.total.counted || self.total.more;
        let count = if self.total.more {
            format!(
                "{} of more than {} entries, newest ranked first",
                self.hits.len(),
                self.total.counted
            )
        } else if more {
            format!(
                "{} of {} entries, newest ranked first",
                self.hits.len(),
                self.total.counted
            )
        } else {
            format!("{} entries", self.hits.len())
        };
        let kap = self
            .hits
            .iter()
            .filter(|hit| hit.model == TreatmentModel::Kap)
            .count();
        let count = format!(
            "{count} (KAP {kap}, Medical Model {})",
            self.hits.len() - kap
        );
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!("{count} · Up and Down choose · Enter opens"))
                    .color(theme::muted()),
            );
            if more && ui.button("Show more").clicked() {
                // The same search, further: the next frame asks for it.
                self.limit = self.hits.len() + HIT_LIMIT;
                self.more_asked = true;
            }
        });
        let mut open = None;
        ui.style_mut().interaction.selectable_labels = false;
        egui::ScrollArea::vertical()
            .id_salt("search_results")
            .auto_shrink(false)
            .show_rows(ui, 44.0, self.hits.len(), |ui, rows| {
                for index in rows {
                    let hit = &self.hits[index];
                    let selected = index == self.selected;
                    let fill = if selected {
                        ui.visuals().selection.bg_fill.gamma_multiply(0.35)
                    } else {
                        egui::Color32::TRANSPARENT
                    };
                    let response = egui::Frame::new()
                        .fill(fill)
                        .inner_margin(egui::Margin::symmetric(4, 2))
                        .show(ui, |ui| {
                            ui.set_min_height(40.0);
                            ui.horizontal(|ui| {
                                widgets::model_badge(ui, hit.model);
                                ui.label(
                                    RichText::new(format!(
                                        "{} · {} · session #{} entry {} · {}",
                                        format::date_time(hit.wall_time),
                                        hit.client_code,
                                        hit.session_id,
                                        hit.seq.0,
                                        hit.kind.replace('_', " ")
                                    ))
                                    .color(theme::muted()),
                                );
                            });
                            ui.label(highlighted(
                                ui,
                                &hit.snippet.snippet,
                                &hit.snippet.highlights,
                            ));
                        })
                        .response;
                    let response = ui.interact(
                        response.rect,
                        ui.scope_id().with(("hit", index)),
                        egui::Sense::click(),
                    );
                    if selected && self.scroll_to_selected {
                        response.scroll_to_me(None);
                        self.scroll_to_selected = false;
                    }
                    if response.clicked() {
                        open = Some((hit.session_id, hit.seq));
                    }
                }
            });
        open
    }
}

/// The snippet with its matches on a highlight background.
fn highlighted(ui: &Ui, text: &str, highlights: &[[usize; 2]]) -> LayoutJob {
    let plain = TextFormat {
        font_id: egui::TextStyle::Body.resolve(ui.style()),
        color: ui.visuals().text_color(),
        ..TextFormat::default()
    };
    // Dark words on the yellow mark, on either theme.
    let marked = TextFormat {
        background: egui::Color32::from_rgb(255, 232, 140),
        color: egui::Color32::from_gray(20),
        ..plain.clone()
    };
    let mut job = LayoutJob::default();
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    for &[start, end] in highlights {
        if start < at || end > chars.len() {
            continue;
        }
        job.append(
            &chars[at..start].iter().collect::<String>(),
            0.0,
            plain.clone(),
        );
        job.append(
            &chars[start..end].iter().collect::<String>(),
            0.0,
            marked.clone(),
        );
        at = end;
    }
    job.append(&chars[at..].iter().collect::<String>(), 0.0, plain);
    job
}
