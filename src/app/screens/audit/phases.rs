//! The browser audit's phases in the audit view: which engine ran (and, without a browser, how
//! to get one), each phase's banner and what was clicked, the items of every phase side by
//! side, and the screenshots.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::AuditScreen;
use crate::audit::browser::{HOW_TO_GET_ONE, find_browser};
use crate::audit::{Engine, EngineChoice, Kind, SiteReport};

/// The phase names, in the order they run.
const PHASES: [&str; 3] = ["first_visit", "after_reject", "after_accept"];

/// Finding kinds about consent, shown before the others.
pub fn is_consent_kind(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::SetBeforeConsent | Kind::SetAfterReject | Kind::BannerNotFound | Kind::NoRejectOption
    )
}

/// Decoded screenshots by file, and the files that could not be read.
#[derive(Default)]
pub struct Screenshots {
    loaded: HashMap<PathBuf, Result<egui::TextureHandle, String>>,
}

impl Screenshots {
    /// The screenshot at `path` as a texture, decoded on first use.
    fn get(&mut self, ctx: &egui::Context, path: &Path) -> &Result<egui::TextureHandle, String> {
        self.loaded.entry(path.to_path_buf()).or_insert_with(|| {
            decode(path).map(|image| {
                ctx.load_texture(path.display().to_string(), image, Default::default())
            })
        })
    }
}

/// A PNG file as an image egui can show.
fn decode(path: &Path) -> Result<egui::ColorImage, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| format!("{}: too large", path.display()))?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let pixels = &buf[..info.buffer_size()];
    let dims = [info.width as usize, info.height as usize];
    match info.color_type {
        png::ColorType::Rgba => Ok(egui::ColorImage::from_rgba_unmultiplied(dims, pixels)),
        png::ColorType::Rgb => Ok(egui::ColorImage::from_rgb(dims, pixels)),
        other => Err(format!("{}: unexpected colours {other:?}", path.display())),
    }
}

impl AuditScreen {
    /// The engine for the next audit, and without a browser, how to get one.
    pub(super) fn engine_choice(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Engine");
            let name = |e: EngineChoice| match e {
                EngineChoice::Auto => "browser if found, else HTTP",
                EngineChoice::Browser => "browser (Chromium)",
                EngineChoice::Http => "plain HTTP",
            };
            egui::ComboBox::from_id_salt("audit engine")
                .selected_text(name(self.engine))
                .show_ui(ui, |ui| {
                    for e in [
                        EngineChoice::Auto,
                        EngineChoice::Browser,
                        EngineChoice::Http,
                    ] {
                        ui.selectable_value(&mut self.engine, e, name(e));
                    }
                })
                .response
                .labelled_by(label.id)
                .accessible_name("Audit engine");
            let browser = self.browser.get_or_insert_with(|| find_browser(None));
            match (browser, self.engine) {
                (_, EngineChoice::Http) => {}
                (Ok(path), _) => {
                    ui.weak(format!("browser: {}", path.display()));
                }
                (Err(_), _) => {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!(
                            "No browser found: audits cannot see script cookies, storage or \
                             consent. To get one, {HOW_TO_GET_ONE}."
                        ),
                    );
                }
            }
        });
    }

    /// The engine used, the notes, and for the browser: phases, items side by side, screenshots.
    pub(super) fn phases(&mut self, ui: &mut egui::Ui, report: &SiteReport, shots_dir: &Path) {
        ui.label(match report.engine {
            Engine::Browser => format!(
                "Engine: browser (Chromium), {} phases, each in a fresh profile",
                report.phases.len()
            ),
            Engine::Http => "Engine: plain HTTP (headers and inline scripts)".to_string(),
        });
        for note in &report.notes {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Note: {note}"));
        }
        if report.phases.is_empty() {
            return;
        }
        egui::CollapsingHeader::new("Phases")
            .id_salt("audit phases")
            .default_open(true)
            .show(ui, |ui| {
                egui::Grid::new("audit phase banners")
                    .striped(true)
                    .show(ui, |ui| {
                        for title in ["Phase", "Banner", "Clicked", "How"] {
                            ui.strong(title);
                        }
                        ui.end_row();
                        for p in &report.phases {
                            ui.label(&p.name);
                            ui.label(if p.banner.found { "found" } else { "not found" });
                            ui.label(p.banner.clicked.as_deref().unwrap_or("nothing"));
                            let how = p.banner.how.clone().unwrap_or_default();
                            match &p.error {
                                Some(e) => ui.colored_label(
                                    ui.visuals().error_fg_color,
                                    format!("{how} — {e}"),
                                ),
                                None => ui.label(how),
                            };
                            ui.end_row();
                        }
                    });
                ui.add_space(4.0);
                side_by_side(ui, report);
                ui.add_space(4.0);
                self.screenshots(ui, report, shots_dir);
            });
    }

    fn screenshots(&mut self, ui: &mut egui::Ui, report: &SiteReport, dir: &Path) {
        ui.horizontal_wrapped(|ui| {
            for p in &report.phases {
                ui.vertical(|ui| {
                    ui.label(&p.name);
                    let Some(name) = &p.screenshot else {
                        ui.weak("no screenshot");
                        return;
                    };
                    match self.shots.get(ui.ctx(), &dir.join(name)) {
                        Ok(texture) => {
                            let size = texture.size_vec2();
                            let width = 320.0_f32.min(size.x);
                            ui.add(
                                egui::Image::new(texture)
                                    .max_width(width)
                                    .alt_text(format!("Screenshot after {}", p.name)),
                            );
                        }
                        Err(e) => {
                            ui.weak(format!("screenshot not readable: {e}"));
                        }
                    }
                });
            }
        });
    }
}

/// Every item the browser held, with a mark under each phase it was present in.
fn side_by_side(ui: &mut egui::Ui, report: &SiteReport) {
    let run: Vec<&str> = PHASES
        .into_iter()
        .filter(|name| report.phases.iter().any(|p| p.name == *name))
        .collect();
    egui::ScrollArea::vertical()
        .id_salt("audit phase items")
        .max_height(240.0)
        .show(ui, |ui| {
            egui::Grid::new("audit phase items grid")
                .striped(true)
                .show(ui, |ui| {
                    ui.strong("Item");
                    ui.strong("Kept in");
                    for name in &run {
                        ui.strong(*name);
                    }
                    ui.end_row();
                    for o in &report.observed {
                        ui.label(format!("{} ({})", o.name, o.domain));
                        ui.label(o.storage.label());
                        for name in &run {
                            let present = o.phases.iter().any(|p| p == name);
                            let said = if present {
                                format!("{} is stored in {name}", o.name)
                            } else {
                                format!("{} is not stored in {name}", o.name)
                            };
                            ui.label(if present { "✔" } else { "–" })
                                .on_hover_text(said);
                        }
                        ui.end_row();
                    }
                });
        });
}
