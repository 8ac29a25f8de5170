//! The evidence under an audit's findings: the requests with their raw headers, the cookies
//! seen, third-party hosts, and what changed since the previous audit.

use egui_extras::{Column, TableBuilder};
use time::OffsetDateTime;

use super::{AuditScreen, declare_button};
use crate::app::commands::Command;
use crate::app::state::audit::LastAudit;
use crate::audit::{AuditFinding, Observed, SiteReport};
use crate::model::duration::human_seconds;

impl AuditScreen {
    pub(super) fn evidence(
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

pub(super) fn summary(ui: &mut egui::Ui, last: &LastAudit) {
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

pub(super) fn finding_details(ui: &mut egui::Ui, f: &AuditFinding) {
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
                ui.label(format!("+ {} on {} appeared", r.what(), r.domain));
            }
            for r in &c.disappeared {
                ui.label(format!("− {} on {} disappeared", r.what(), r.domain));
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
