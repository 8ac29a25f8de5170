//! The Fix button beside a finding: offered when the finding has a safe mechanical fix (its
//! hover says what it will change), shown disabled with the reason when it has none.

use crate::app::state::SiteDoc;
use crate::check::Finding;
use crate::check::fix::fix_for;
use crate::model::Platform;

/// Each finding of a site with its fix's description, or why it has none.
pub type Offers = Vec<(Finding, Result<String, String>)>;

/// The offers of the site shown, computed once per revision (a fix is worked out on a copy of
/// the site, too costly for every frame).
#[derive(Default)]
pub struct FixCache {
    key: Option<(String, u64)>,
    pub offers: Offers,
}

impl FixCache {
    pub fn refresh(&mut self, doc: &SiteDoc, platform: Option<&Platform>) {
        let key = (doc.id().to_string(), doc.revision);
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.offers = doc
            .findings
            .iter()
            .map(|f| {
                let fix = fix_for(doc.site(), platform, f).map(|fix| fix.description);
                (f.clone(), fix)
            })
            .collect();
        self.key = Some(key);
    }
}

/// Draws the button for `finding`; whether it was clicked.
pub fn button(ui: &mut egui::Ui, offers: &Offers, finding: &Finding) -> bool {
    let Some((_, offer)) = offers.iter().find(|(f, _)| f == finding) else {
        return false;
    };
    match offer {
        Ok(what) => ui
            .small_button("Fix")
            .on_hover_text(format!("Fix: {what}"))
            .clicked(),
        Err(why) => {
            ui.add_enabled(false, egui::Button::new("Fix").small())
                .on_disabled_hover_text(format!("No safe fix: {why}"));
            false
        }
    }
}
