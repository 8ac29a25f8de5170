//! Frame cost of the app with 500 sites of 40 cookies: the main view (sites list, editor,
//! preview) and the side-by-side cookie matrix, drawn headlessly (layout + tessellation, no GPU).
//!
//! `cargo bench --bench app` (release). Prints p50 / p95 / max per frame over 200 frames.

use std::path::Path;
use std::time::{Duration, Instant};

use policydesk::app::PolicyDeskApp;
use policydesk::app::settings::{CompareTab, Settings, View};
use policydesk::model::duration::{DAY, MONTH};
use policydesk::model::{Category, CookieDecl, CookieEntry, DurationValue, Site};
use policydesk::store::{self, save::site_text};

const SITES: usize = 500;
const COOKIES: usize = 40;
const FRAMES: usize = 200;

fn generate(dir: &Path) {
    store::bundled::install_into(dir).expect("bundled sites");
    let template: Site = store::load_sites(dir)
        .site("dashboard.paris")
        .expect("template site")
        .site
        .clone();
    for i in 0..SITES {
        let mut site = template.clone();
        site.id = format!("portal-{i:03}.example.org");
        site.name = format!("Portal {i}");
        site.cookies = (0..COOKIES)
            .map(|k| {
                let months = 1 + ((i + k) % 14) as u64;
                let mut decl = CookieDecl {
                    name: format!("cookie_{k:02}"),
                    provider: "Example".into(),
                    category: Category::ALL[k % Category::ALL.len()],
                    ..Default::default()
                };
                decl.purpose.insert(
                    "en".into(),
                    format!("Purpose of cookie {k}, worded for portal {}", i % 3),
                );
                decl.purpose
                    .insert("fr".into(), format!("Finalité du cookie {k}"));
                decl.duration
                    .text
                    .insert("en".into(), format!("{months} months"));
                decl.duration
                    .text
                    .insert("fr".into(), format!("{months} mois"));
                decl.duration.value = if k % 7 == 0 {
                    DurationValue::UpTo(months * MONTH)
                } else {
                    DurationValue::Seconds(months * MONTH + (k as u64 % 2) * DAY)
                };
                CookieEntry::Own(decl)
            })
            .collect();
        let text = site_text(&site).expect("site text");
        std::fs::write(store::site_path(dir, &site.id), text).expect("write site");
    }
}

fn input(frame: usize) -> egui::RawInput {
    let x = 400.0 + (frame % 50) as f32 * 8.0;
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        time: Some(frame as f64 / 60.0),
        // The pointer moves every frame, so hover states change as they do in use.
        events: vec![egui::Event::PointerMoved(egui::pos2(x, 300.0))],
        ..Default::default()
    }
}

fn frame(ctx: &egui::Context, app: &mut PolicyDeskApp, n: usize) -> Duration {
    let start = Instant::now();
    let mut out = ctx.run_ui(input(n), |ui| app.frame_ui(ui));
    let shapes = std::mem::take(&mut out.shapes);
    let primitives = ctx.tessellate(shapes, out.pixels_per_point);
    let spent = start.elapsed();
    std::hint::black_box(primitives);
    out.drop_without_applying_deltas();
    spent
}

fn measure(name: &str, ctx: &egui::Context, app: &mut PolicyDeskApp, first: usize) {
    // Warm up: fonts, galley caches, the cached documents and findings.
    for n in first..first + 20 {
        frame(ctx, app, n);
    }
    let mut times: Vec<Duration> = (first + 20..first + 20 + FRAMES)
        .map(|n| frame(ctx, app, n))
        .collect();
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        "{name:<40} p50 {:>6.2} ms   p95 {:>6.2} ms   max {:>6.2} ms",
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    generate(dir.path());
    let ctx = egui::Context::default();
    let settings = Settings {
        selected: Some("portal-250.example.org".into()),
        lang: Some("en".into()),
        ..Default::default()
    };
    let started = Instant::now();
    let mut app = PolicyDeskApp::with_settings(&ctx, Some(dir.path().to_path_buf()), settings);
    let mut n = 0;
    while app.docs.is_none() || app.is_busy() {
        frame(&ctx, &mut app, n);
        n += 1;
        std::thread::sleep(Duration::from_millis(2));
    }
    println!(
        "loaded {SITES} sites x {COOKIES} cookies in {:.0} ms (worker thread)",
        started.elapsed().as_secs_f64() * 1e3
    );
    app.screens.editor.selected_cookie = Some(5);
    measure("main view (list, editor, preview)", &ctx, &mut app, n);

    app.settings.view = View::Compare;
    app.settings.compare_tab = CompareTab::Matrix;
    app.settings.compared = ["001", "100", "250", "499"]
        .iter()
        .map(|i| format!("portal-{i}.example.org"))
        .collect();
    measure(
        "side by side: cookie matrix (4 sites)",
        &ctx,
        &mut app,
        n + 1000,
    );
    app.settings.compare_tab = CompareTab::Previews;
    measure("side by side: previews (4 sites)", &ctx, &mut app, n + 2000);
}
