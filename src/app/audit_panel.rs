//! The audit view: audit the selected site or all of them against the live portals (or another
//! address), follow the progress, and read the result: findings filtered by kind and severity,
//! the requests with their raw headers, the cookies seen, third-party hosts and what changed
//! since the previous audit. "Declare this cookie" drafts a declaration for the editor.

use egui_extras::{Column, TableBuilder};
use time::OffsetDateTime;
use url::Url;

use super::audit_worker::{AuditDone, AuditWorker, LastAudit};
use super::command::Command;
use super::docs::{Docs, SiteDoc};
use super::editor::EditorState;
use super::fields::{severity_color, severity_icon};
use super::notify::Notifications;
use super::settings::{Settings, View};
use super::sites_panel::Badge;
use crate::audit::declare::{declaration, is_declared};
use crate::audit::{AuditFinding, AuditOptions, Kind, Observed, SiteReport, Source, Target};
use crate::check::Severity;
use crate::model::CookieEntry;
use crate::model::duration::human_seconds;

pub struct AuditPanel {
    pub worker: AuditWorker,
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
}

type DeclaredKey = (String, u64, Option<OffsetDateTime>);

impl AuditPanel {
    pub fn new(ctx: egui::Context) -> Self {
        Self {
            worker: AuditWorker::new(ctx),
            url: String::new(),
            show: [true; 3],
            kind: None,
            selected: None,
            declared: (None, Vec::new()),
        }
    }

    /// Reads the folder's audit history (after a folder is opened).
    pub fn opened(&mut self, docs: &Docs) {
        let ids = docs.sites.iter().map(|d| d.id().to_string()).collect();
        self.worker.load_history(docs.dir.clone(), ids);
    }

    /// Takes what the audit threads finished.
    pub fn receive(&mut self, docs: Option<&mut Docs>, notes: &mut Notifications) {
        let mut docs = docs;
        while let Some(done) = self.worker.try_recv() {
            let Some(docs) = docs.as_deref_mut() else {
                continue;
            };
            match done {
                AuditDone::History { dir, last } if dir == docs.dir => {
                    for (id, last) in last {
                        if let Some(doc) = docs.get_mut(&id) {
                            doc.audit = Some(last);
                        }
                    }
                }
                AuditDone::History { .. } => {}
                AuditDone::Finished {
                    dir,
                    result,
                    cancelled,
                    warnings,
                } => {
                    for w in warnings {
                        notes.error(w);
                    }
                    match result {
                        Ok(sites) if dir == docs.dir => finished(docs, sites, cancelled, notes),
                        Ok(_) => {}
                        Err(e) => notes.error(format!("the audit could not run: {e}")),
                    }
                    self.selected = None;
                }
            }
        }
    }

    /// Runs the audit commands; returns what follows from them (the edit to record).
    pub fn run_command(
        &mut self,
        docs: &mut Docs,
        command: Command,
        notes: &mut Notifications,
        settings: &mut Settings,
        editor: &mut EditorState,
    ) -> Vec<Command> {
        match command {
            Command::Audit { ids, url } => {
                let url = match url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                    None => None,
                    Some(u) => match Url::parse(u) {
                        Ok(url) if matches!(url.scheme(), "http" | "https") => Some(url),
                        Ok(_) => {
                            notes.error(format!("{u}: only http and https are audited"));
                            return Vec::new();
                        }
                        Err(e) => {
                            notes.error(format!("{u}: not a web address ({e})"));
                            return Vec::new();
                        }
                    },
                };
                let targets = ids
                    .iter()
                    .filter_map(|id| docs.get(id))
                    .map(|doc| Target {
                        site: doc.site().clone(),
                        decls: doc.site().resolved_cookies(docs.platform_of(doc.site())),
                        url: url.clone().unwrap_or_else(|| doc.site().base_url.clone()),
                    })
                    .collect();
                self.worker
                    .start(&docs.dir, targets, AuditOptions::default());
                Vec::new()
            }
            Command::CancelAudit => {
                self.worker.cancel();
                Vec::new()
            }
            Command::DeclareCookie { site, cookie } => {
                let Some(doc) = docs.get_mut(&site) else {
                    return Vec::new();
                };
                let decl = declaration(&cookie, doc.site());
                notes.info(format!(
                    "Declared {} on {site}: review it and write its purpose",
                    decl.display_name()
                ));
                doc.file.site.cookies.push(CookieEntry::Own(decl));
                editor.selected_cookie = Some(doc.site().cookies.len() - 1);
                editor.scroll_to_cookie = true;
                settings.selected = Some(site);
                settings.view = View::Editor;
                // Recorded as any edit of the selected site: one undo step, marked unsaved.
                vec![Command::Edited(None)]
            }
            _ => Vec::new(),
        }
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        docs: &Docs,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) {
        let doc = settings.selected.as_deref().and_then(|id| docs.get(id));
        self.controls(ui, docs, doc, commands);
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
        summary(ui, last);
        let report = &last.report;
        self.refresh_declared(doc, docs, last);
        self.findings(ui, doc.id(), report, commands);
        ui.separator();
        egui::ScrollArea::vertical()
            .id_salt("audit evidence")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if let Some(f) = self.selected.and_then(|i| report.findings.get(i)) {
                    finding_details(ui, f);
                }
                self.evidence(ui, doc.id(), report, commands);
            });
    }

    fn controls(
        &mut self,
        ui: &mut egui::Ui,
        docs: &Docs,
        doc: Option<&SiteDoc>,
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
            let idle = self.worker.running.is_none();
            ui.add_enabled_ui(idle, |ui| {
                if let Some(doc) = doc
                    && ui
                        .button(format!("Audit {}", doc.id()))
                        .on_hover_text("Fetch the site's pages and compare them with its policy")
                        .clicked()
                {
                    commands.push(Command::Audit {
                        ids: vec![doc.id().to_string()],
                        url: url.clone(),
                    });
                }
                if ui
                    .add_enabled(!docs.sites.is_empty(), egui::Button::new("Audit all"))
                    .on_hover_text("Audit every site, 8 at once")
                    .clicked()
                {
                    commands.push(Command::Audit {
                        ids: docs.sites.iter().map(|d| d.id().to_string()).collect(),
                        url,
                    });
                }
            });
        });
        if let Some(running) = &self.worker.running {
            let p = running.progress();
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Audited {} of {} sites", p.done, p.total));
                ui.add(
                    egui::ProgressBar::new(p.done as f32 / p.total.max(1) as f32)
                        .desired_width(200.0),
                );
                let cancelling = running.cancel.is_cancelled();
                if ui
                    .add_enabled(!cancelling, egui::Button::new("Cancel audit"))
                    .on_hover_text("Stop the pages being fetched; nothing unfinished is saved")
                    .clicked()
                {
                    commands.push(Command::CancelAudit);
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
        let shown: Vec<usize> = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| self.show[severity_index(f.severity)])
            .filter(|(_, f)| self.kind.is_none_or(|k| k == f.kind))
            .map(|(i, _)| i)
            .collect();
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
                            severity_color(ui.visuals(), f.severity),
                            format!("{} {}", severity_icon(f.severity), f.severity),
                        );
                    });
                    row.col(|ui| {
                        ui.label(f.kind.id());
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

    fn evidence(
        &self,
        ui: &mut egui::Ui,
        site: &str,
        report: &SiteReport,
        commands: &mut Vec<Command>,
    ) {
        egui::CollapsingHeader::new(format!("Requests ({})", report.requests.len()))
            .id_salt("audit requests")
            .show(ui, |ui| {
                for (n, hop) in report.requests.iter().enumerate() {
                    ui.horizontal_wrapped(|ui| {
                        let color = if hop.status >= 400 {
                            ui.visuals().error_fg_color
                        } else {
                            ui.visuals().text_color()
                        };
                        ui.colored_label(
                            color,
                            egui::RichText::new(hop.status.to_string()).strong(),
                        );
                        ui.label(&hop.url);
                    });
                    ui.indent(("hop", n), |ui| {
                        for line in &hop.set_cookie {
                            ui.add(
                                egui::Label::new(
                                    egui::RichText::new(format!("Set-Cookie: {line}")).monospace(),
                                )
                                .wrap(),
                            );
                        }
                        for r in &hop.rejected_set_cookie {
                            ui.colored_label(
                                ui.visuals().warn_fg_color,
                                format!("rejected Set-Cookie ({}): {}", r.reason, r.line),
                            );
                        }
                        egui::CollapsingHeader::new(format!(
                            "Response headers ({})",
                            hop.headers.len()
                        ))
                        .id_salt(("headers", n))
                        .show(ui, |ui| {
                            let row = ui.text_style_height(&egui::TextStyle::Monospace);
                            egui::ScrollArea::vertical()
                                .id_salt(("headers scroll", n))
                                .max_height(row * 16.0)
                                .show_rows(ui, row, hop.headers.len(), |ui, range| {
                                    for (k, v) in &hop.headers[range] {
                                        ui.add(
                                            egui::Label::new(
                                                egui::RichText::new(format!("{k}: {v}"))
                                                    .monospace(),
                                            )
                                            .truncate(),
                                        );
                                    }
                                });
                        });
                    });
                }
            });
        egui::CollapsingHeader::new(format!("Cookies seen ({})", report.observed.len()))
            .id_salt("audit cookies")
            .default_open(true)
            .show(ui, |ui| self.observed_table(ui, site, report, commands));
        egui::CollapsingHeader::new(format!(
            "Third-party hosts ({})",
            report.third_party_hosts.len()
        ))
        .id_salt("audit hosts")
        .show(ui, |ui| {
            for host in &report.third_party_hosts {
                ui.label(host);
            }
        });
        changes(ui, report);
        for note in &report.notes {
            ui.weak(format!("note: {note}"));
        }
    }

    fn observed_table(
        &self,
        ui: &mut egui::Ui,
        site: &str,
        report: &SiteReport,
        commands: &mut Vec<Command>,
    ) {
        if report.observed.is_empty() {
            ui.weak("No cookie was set on the pages fetched.");
            return;
        }
        let row_height = ui.spacing().interact_size.y + 2.0;
        TableBuilder::new(ui)
            .id_salt("audit observed")
            .striped(true)
            .resizable(false)
            .max_scroll_height(row_height * 10.5)
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .column(Column::initial(140.0).at_least(80.0).clip(true))
            .column(Column::auto().at_least(90.0))
            .column(Column::initial(150.0).at_least(60.0).clip(true))
            .column(Column::auto().at_least(60.0))
            .column(Column::initial(150.0).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(140.0))
            .header(row_height, |mut header| {
                for title in [
                    "Name", "Domain", "Lifetime", "Flags", "Source", "Service", "",
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, report.observed.len(), |mut row| {
                    let i = row.index();
                    let o = &report.observed[i];
                    row.col(|ui| {
                        ui.label(&o.name).on_hover_text(&o.evidence);
                    });
                    row.col(|ui| {
                        ui.label(&o.domain);
                    });
                    row.col(|ui| {
                        ui.label(o.lifetime_seconds.map_or("session".into(), human_seconds));
                    });
                    row.col(|ui| {
                        ui.label(flags(o));
                    });
                    row.col(|ui| {
                        ui.label(o.source.to_string());
                    });
                    row.col(|ui| {
                        ui.label(o.service.as_deref().unwrap_or(""));
                    });
                    row.col(|ui| {
                        if self.declared.1.get(i).copied().unwrap_or(true) {
                            ui.weak("declared");
                        } else {
                            declare_button(ui, site, o, commands);
                        }
                    });
                });
            });
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
    Command::DeclareCookie {
        site: site.to_string(),
        cookie: Box::new(o.clone()),
    }
}

fn declare_button(ui: &mut egui::Ui, site: &str, o: &Observed, commands: &mut Vec<Command>) {
    if ui
        .button("Declare this cookie")
        .on_hover_text(format!(
            "Add {} to the policy, filled from what was seen and the service catalog; \
             review it and write its purpose",
            o.name
        ))
        .accessible_name(format!("Declare {}", o.name))
        .clicked()
    {
        commands.push(declare(site, o));
    }
}

fn flags(o: &Observed) -> String {
    let mut out = Vec::new();
    if o.secure {
        out.push("Secure".to_string());
    }
    if o.http_only {
        out.push("HttpOnly".to_string());
    }
    if let Some(s) = &o.same_site {
        out.push(format!("SameSite={s}"));
    }
    out.join(" ")
}

fn summary(ui: &mut egui::Ui, last: &LastAudit) {
    let report = &last.report;
    ui.horizontal_wrapped(|ui| {
        ui.label(format!(
            "Audited {} ({}): {} errors, {} warnings",
            report.url,
            last.age(OffsetDateTime::now_utc(), false),
            last.errors,
            last.warnings
        ));
    });
    if let Some(error) = &report.error {
        ui.colored_label(
            ui.visuals().error_fg_color,
            format!("Could not fetch {error}"),
        );
    }
}

fn finding_details(ui: &mut egui::Ui, f: &AuditFinding) {
    ui.group(|ui| {
        ui.set_width(ui.available_width());
        ui.strong(format!("{} {}", f.severity, f.kind));
        ui.add(egui::Label::new(&f.message).wrap());
        if let Some(evidence) = &f.evidence {
            ui.label("Evidence:");
            ui.add(egui::Label::new(egui::RichText::new(evidence).monospace()).wrap());
        }
    });
}

fn changes(ui: &mut egui::Ui, report: &SiteReport) {
    let Some(c) = &report.changes else {
        ui.weak("No earlier audit to compare with.");
        return;
    };
    if c.is_empty() {
        ui.label(format!("No change since the audit of {}.", c.since));
        return;
    }
    egui::CollapsingHeader::new(format!("Changes since the audit of {}", c.since))
        .id_salt("audit changes")
        .default_open(true)
        .show(ui, |ui| {
            let lifetime = |l: Option<u64>| l.map_or("session".into(), human_seconds);
            for r in &c.appeared {
                ui.label(format!("+ {} on {} appeared", r.name, r.domain));
            }
            for r in &c.disappeared {
                ui.label(format!("− {} on {} disappeared", r.name, r.domain));
            }
            for l in &c.lifetime_changed {
                ui.label(format!(
                    "~ {} on {}: {} → {}",
                    l.name,
                    l.domain,
                    lifetime(l.before),
                    lifetime(l.after)
                ));
            }
        });
}

/// Records a finished audit in each site's document and says how it went.
fn finished(docs: &mut Docs, sites: Vec<LastAudit>, cancelled: bool, notes: &mut Notifications) {
    let (mut audited, mut errors, mut warnings, mut failed) = (0, 0, 0, 0);
    for last in sites {
        // A site the cancel cut short keeps its previous result.
        if cancelled && last.report.error.is_some() {
            continue;
        }
        audited += 1;
        errors += last.errors;
        warnings += last.warnings;
        failed += usize::from(last.report.error.is_some());
        if let Some(doc) = docs.get_mut(&last.report.site.clone()) {
            doc.audit = Some(last);
        }
    }
    let sites = if audited == 1 { "site" } else { "sites" };
    let what = format!("{audited} {sites} audited: {errors} errors, {warnings} warnings");
    match (cancelled, failed) {
        (true, _) => notes.info(format!("Audit cancelled; {what}")),
        (false, 0) => notes.info(what),
        (false, n) => notes.error(format!("{what}; {n} could not be fetched in full")),
    }
}

/// The sites panel's mark for a site's last audit.
pub fn badge(doc: &SiteDoc, visuals: &egui::Visuals) -> Badge {
    let Some(last) = &doc.audit else {
        return Badge {
            text: "not audited".into(),
            color: visuals.weak_text_color(),
            hover: "never audited against the live site".into(),
        };
    };
    let now = OffsetDateTime::now_utc();
    let (state, color) = if last.report.error.is_some() {
        ("failed".to_string(), visuals.error_fg_color)
    } else if last.errors > 0 {
        (format!("✖{}", last.errors), visuals.error_fg_color)
    } else if last.warnings > 0 {
        (format!("⚠{}", last.warnings), visuals.warn_fg_color)
    } else {
        ("✔".to_string(), egui::Color32::from_rgb(0x3c, 0xa0, 0x5a))
    };
    Badge {
        text: format!("audit {state} {}", last.age(now, true)),
        color,
        hover: format!(
            "last audit {} of {}: {} errors, {} warnings{}",
            last.age(now, false),
            last.report.url,
            last.errors,
            last.warnings,
            if last.report.error.is_some() {
                " (some page could not be fetched)"
            } else {
                ""
            }
        ),
    }
}
