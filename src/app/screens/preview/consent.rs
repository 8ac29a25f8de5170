//! The preview's other views: a site's consent-manager configurations and its device storage
//! disclosure, shown as the code an export writes (the same generators), following every edit.

use crate::app::state::{Docs, SiteDoc};
use crate::export::consent::Kind;

/// What the preview shows: the policy, or one of the files generated beside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shown {
    #[default]
    Policy,
    Generated(Kind),
}

/// The chosen view and the last generated text, rebuilt only when the site or the choice changed.
#[derive(Default)]
pub struct ConsentView {
    pub shown: Shown,
    entry: Option<((String, u64, Kind), String)>,
}

impl ConsentView {
    fn text(&mut self, docs: &Docs, doc: &SiteDoc, kind: Kind) -> &str {
        let key = (doc.id().to_string(), doc.revision, kind);
        let entry = match self.entry.take() {
            Some((k, text)) if k == key => (k, text),
            _ => {
                let site = doc.site();
                let platform = docs.platform_of(site);
                let cookies = site.resolved_cookies(platform);
                (key, kind.generate(site, platform, &cookies))
            }
        };
        &self.entry.insert(entry).1
    }
}

/// The row of choices: the policy, then each generated file.
pub fn choices(ui: &mut egui::Ui, view: &mut ConsentView) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Show");
        let options = std::iter::once((Shown::Policy, "Policy", "The policy as published")).chain(
            Kind::ALL.iter().map(|&k| {
                (
                    Shown::Generated(k),
                    k.label(),
                    match k {
                        Kind::DeviceStorage => {
                            "device-storage.json: the IAB TCF device storage disclosure"
                        }
                        Kind::Klaro => "consent/klaro.js: the Klaro! configuration",
                        Kind::CookieConsent => {
                            "consent/cookieconsent.js: the CookieConsent v3 configuration"
                        }
                        Kind::Tarteaucitron => {
                            "consent/tarteaucitron.js: the tarteaucitron.js configuration"
                        }
                    },
                )
            }),
        );
        for (shown, label, hover) in options {
            if ui
                .selectable_label(view.shown == shown, label)
                .on_hover_text(hover)
                .accessible_name(format!("Preview shows {label}"))
                .clicked()
            {
                view.shown = shown;
            }
        }
    });
}

/// The generated file of `kind` for the site, as code, with its path in a bundle and a copy
/// button.
pub fn code_ui(ui: &mut egui::Ui, docs: &Docs, doc: &SiteDoc, view: &mut ConsentView, kind: Kind) {
    let text = view.text(docs, doc, kind);
    ui.horizontal(|ui| {
        ui.weak(format!("{}/{}", doc.id(), kind.path()));
        if ui
            .button("Copy")
            .on_hover_text("Copy the whole file")
            .accessible_name(format!("Copy {}", kind.label()))
            .clicked()
        {
            ui.ctx().copy_text(text.to_string());
        }
    });
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("preview code")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.add(
                egui::Label::new(egui::RichText::new(text).monospace())
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
}
