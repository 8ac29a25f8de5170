//! The audit view: audit the selected site or all of them against the live portals (or another
//! address), follow the progress, and read the result: findings filtered by kind and severity,
//! the requests with their raw headers, the cookies seen, third-party hosts and what changed
//! since the previous audit. "Declare this cookie" drafts a declaration for the editor.

mod evidence;
mod phases;

use egui_extras::{Column, TableBuilder};
use time::OffsetDateTime;

use crate::app::commands::{AuditCommand, Command};
use crate::app::screens::Ctx;
use crate::app::state::audit::LastAudit;
use crate::app::state::{Docs, SiteDoc};
use crate::app::tasks::audit::Running;
use crate::app::widgets::{colors, severity};
use crate::audit::declare::is_declared;
use crate::audit::{AuditFinding, EngineChoice, Kind, Observed, SiteReport, Source};
use crate::check::Severity;

pub struct AuditScreen {
    /// The address typed to audit instead of the site's own (empty: the site's).
    url: String,
    /// Severities shown: error, warning, info.
    show: [bool; 3],
    /// The kind shown; `None` for all.
    kind: Option<Kind>,
    /// The finding whose details are shown, by index in the report.
    selected: Option<usize>,
    /// Which observed cookies the site declares, for (site, revision, report time).
    declared: (Option<DeclaredKey>, Vec<bool>),
    /// The engine the next audit asks for.
    engine: EngineChoice,
    /// The browser the browser engine would run, looked for once.
    browser: Option<Result<std::path::PathBuf, String>>,
    /// The phases' screenshots, decoded once per file.
    shots: phases::Screenshots,
}

type DeclaredKey = (String, u64, Option<OffsetDateTime>);

impl AuditScreen {
    fn new() -> Self {
        Self {
            url: String::new(),
            show: [true; 3],
            kind: None,
            selected: None,
            declared: (None, Vec::new()),
            engine: EngineChoice::Auto,
            browser: None,
            shots: phases::Screenshots::default(),
        }
    }

    /// Forgets the finding shown (after an audit finished or another folder opened).
    pub fn forget_selection(&mut self) {
        self.selected = None;
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &mut Ctx) {
        let docs = &*ctx.docs;
        let commands = &mut *ctx.commands;
        let doc = ctx.settings.selected.as_deref().and_then(|id| docs.get(id));
        let running = ctx.tasks.audits.running.as_ref();
        self.controls(ui, docs, doc, running, commands);
        ui.separator();
        let Some(doc) = doc else {
            ui.weak("Select a site on the left.");
            return;
        };
        let Some(last) = &doc.audit else {
            ui.weak(format!(
                "{} has not been audited yet: “Audit {}” fetches its pages and compares them with its policy.",
                doc.id(),
                doc.id()
            ));
            return;
        };
        evidence::summary(ui, last);
        let report = &last.report;
        let shots_dir = crate::audit::history::audits_dir(&docs.dir, doc.id());
        self.phases(ui, report, &shots_dir);
        self.refresh_declared(doc, docs, last);
        self.findings(ui, doc.id(), report, commands);
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("audit evidence")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if let Some(f) = self.selected.and_then(|i| report.findings.get(i)) {
                    evidence::finding_details(ui, f);
                }
                self.evidence(ui, doc.id(), report, commands);
            });
    }

    fn controls(
        &mut self,
        ui: &mut egui::Ui,
        docs: &Docs,
        doc: Option<&SiteDoc>,
        running: Option<&Running>,
        commands: &mut Vec<Command>,
    ) {
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.heading("Live audit");
            ui.separator();
            let label = ui.label("Audit URL");
            ui.add(
                egui::TextEdit::singleline(&mut self.url)
                    .hint_text("the site's own address")
                    .desired_width(280.0),
            )
            .labelled_by(label.id)
            .on_hover_text(
                "Fetch this address instead of the site's (a staging copy, a local server); \
                 the policy page and extra paths are taken relative to it",
            );
            let url = Some(self.url.clone()).filter(|u| !u.trim().is_empty());
            let idle = running.is_none();
            ui.add_enabled_ui(idle, |ui| {
                if let Some(doc) = doc
                    && ui
                        .button(format!("Audit {}", doc.id()))
                        .on_hover_text("Fetch the site's pages and compare them with its policy")
                        .accessible_name(format!("Audit: audit {}", doc.id()))
                        .clicked()
                {
                    commands.push(
                        AuditCommand::Run {
                            ids: vec![doc.id().to_string()],
                            url: url.clone(),
                            engine: self.engine,
                        }
                        .into(),
                    );
                }
                if ui
                    .add_enabled(!docs.sites.is_empty(), egui::Button::new("Audit all"))
                    .on_hover_text("Audit every site, 8 at once")
                    .accessible_name("Audit: audit all")
                    .clicked()
                {
                    commands.push(
                        AuditCommand::Run {
                            ids: docs.sites.iter().map(|d| d.id().to_string()).collect(),
                            url,
                            engine: self.engine,
                        }
                        .into(),
                    );
                }
            });
        });
        self.engine_choice(ui);
        if let Some(running) = running {
            let p = running.task.progress();
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Audited {} of {} sites", p.done, p.total));
                ui.add(
                    egui::ProgressBar::new(p.done as f32 / p.total.max(1) as f32)
                        .desired_width(200.0),
                );
                let cancelling = running.task.cancelling();
                if ui
                    .add_enabled(!cancelling, egui::Button::new("Cancel audit"))
                    .on_hover_text("Stop the pages being fetched; nothing unfinished is saved")
                    .accessible_name("Audit: cancel")
                    .clicked()
                {
                    commands.push(AuditCommand::Cancel.into());
                }
                if cancelling {
                    ui.weak("cancelling…");
                }
            });
            for id in &p.current {
                let url = running.urls.get(id).map_or("", String::as_str);
                ui.weak(format!("fetching {id}: {url}"));
            }
        }
    }

    fn refresh_declared(&mut self, doc: &SiteDoc, docs: &Docs, last: &LastAudit) {
        let key = Some((doc.id().to_string(), doc.revision, last.at));
        if self.declared.0 != key || self.declared.1.len() != last.report.observed.len() {
            let decls = doc.site().resolved_cookies(docs.platform_of(doc.site()));
            self.declared.1 = last
                .report
                .observed
                .iter()
                .map(|o| is_declared(o, &decls))
                .collect();
            self.declared.0 = key;
        }
    }

    /// The observed cookies a finding is about that the site does not declare yet.
    fn to_declare<'r>(&self, report: &'r SiteReport, f: &AuditFinding) -> Vec<&'r Observed> {
        let about = |o: &Observed| match f.kind {
            Kind::Undeclared => {
                Some(&o.name) == f.cookie.as_ref() && Some(&o.domain) == f.host.as_ref()
            }
            Kind::UndeclaredService => {
                o.source == Source::Inferred && Some(&o.evidence) == f.evidence.as_ref()
            }
            _ => false,
        };
        report
            .observed
            .iter()
            .enumerate()
            .filter(|(i, o)| about(o) && !self.declared.1.get(*i).copied().unwrap_or(true))
            .map(|(_, o)| o)
            .collect()
    }

    fn findings(
        &mut self,
        ui: &mut egui::Ui,
        site: &str,
        report: &SiteReport,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.strong("Findings");
            for (i, (severity, name)) in [
                (Severity::Error, "Errors"),
                (Severity::Warning, "Warnings"),
                (Severity::Info, "Info"),
            ]
            .into_iter()
            .enumerate()
            {
                let n = report
                    .findings
                    .iter()
                    .filter(|f| f.severity == severity)
                    .count();
                ui.checkbox(&mut self.show[i], format!("{name} ({n})"))
                    .on_hover_text(format!("Show the {severity} findings"));
            }
            let label = ui.label("Kind");
            let kind_name = |k: Option<Kind>| k.map_or("all kinds", Kind::id);
            egui::ComboBox::from_id_salt("audit kind filter")
                .selected_text(kind_name(self.kind))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.kind, None, "all kinds");
                    for &k in Kind::ALL {
                        let n = report.findings.iter().filter(|f| f.kind == k).count();
                        if n > 0 {
                            ui.selectable_value(&mut self.kind, Some(k), format!("{k} ({n})"));
                        }
                    }
                })
                .response
                .labelled_by(label.id)
                .accessible_name("Finding kind");
        });
        let mut shown: Vec<usize> = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| self.show[severity_index(f.severity)])
            .filter(|(_, f)| self.kind.is_none_or(|k| k == f.kind))
            .map(|(i, _)| i)
            .collect();
        // What consent looks like comes first: it is what a regulator checks first.
        shown.sort_by_key(|&i| !phases::is_consent_kind(report.findings[i].kind));
        if shown.is_empty() {
            ui.weak(if report.error.is_some() && report.findings.is_empty() {
                "No finding: the pages could not be fetched, so nothing was compared."
            } else if report.findings.is_empty() {
                "No finding: the site does what its policy says."
            } else {
                "No finding matches the filters."
            });
            return;
        }
        let row_height = ui.spacing().interact_size.y + 2.0;
        let mut clicked = None;
        let height = (ui.available_height() * 0.45).max(row_height * 4.0);
        TableBuilder::new(ui)
            .id_salt("audit findings")
            .striped(true)
            .sense(egui::Sense::click())
            .resizable(false)
            .max_scroll_height(height)
            .column(Column::auto().at_least(70.0))
            .column(Column::initial(190.0).at_least(90.0).clip(true))
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .column(Column::remainder().at_least(160.0).clip(true))
            .column(Column::auto().at_least(140.0))
            .header(row_height, |mut header| {
                for title in ["Severity", "Kind", "Cookie or host", "Message", ""] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, shown.len(), |mut row| {
                    let i = shown[row.index()];
                    let f = &report.findings[i];
                    row.set_selected(self.selected == Some(i));
                    row.col(|ui| {
                        ui.colored_label(
                            colors::severity(ui.visuals(), f.severity),
                            format!("{} {}", severity::icon(f.severity), f.severity),
                        );
                    });
                    row.col(|ui| {
                        match &f.phase {
                            Some(phase) => ui.label(format!("{} ({phase})", f.kind.id())),
                            None => ui.label(f.kind.id()),
                        };
                    });
                    row.col(|ui| {
                        ui.label(f.cookie.as_deref().or(f.host.as_deref()).unwrap_or(""));
                    });
                    row.col(|ui| {
                        if ui
                            .add(
                                egui::Label::new(&f.message)
                                    .truncate()
                                    .sense(egui::Sense::click()),
                            )
                            .on_hover_text(&f.message)
                            .clicked()
                        {
                            clicked = Some(i);
                        }
                    });
                    row.col(|ui| {
                        let candidates = self.to_declare(report, f);
                        match candidates.as_slice() {
                            [] => {}
                            [one] => declare_button(ui, site, one, commands),
                            many => {
                                ui.menu_button("Declare this cookie…", |ui| {
                                    for o in many {
                                        if ui.button(&o.name).clicked() {
                                            commands.push(declare(site, o));
                                        }
                                    }
                                });
                            }
                        }
                    });
                    if row.response().clicked() {
                        clicked = Some(i);
                    }
                });
            });
        if let Some(i) = clicked {
            self.selected = (self.selected != Some(i)).then_some(i);
        }
    }
}

fn severity_index(s: Severity) -> usize {
    match s {
        Severity::Error => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn declare(site: &str, o: &Observed) -> Command {
    AuditCommand::DeclareCookie {
        site: site.to_string(),
        cookie: Box::new(o.clone()),
    }
    .into()
}

fn declare_button(ui: &mut egui::Ui, site: &str, o: &Observed, commands: &mut Vec<Command>) {
    if ui
        .button("Declare this cookie")
        .on_hover_text(format!(
            "Add {} to the policy, filled from what was seen and the service catalog; \
             review it and write its purpose",
            o.name
        ))
        .accessible_name(format!("Audit: declare {}", o.name))
        .clicked()
    {
        commands.push(declare(site, o));
    }
}

impl Default for AuditScreen {
    fn default() -> Self {
        Self::new()
    }
}
