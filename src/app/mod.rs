//! The desktop app: every portal's policy side by side, edited safely, previewed live.
//!
//! [`PolicyDeskApp`] owns the app's [`state`], its background [`tasks`] and its [`screens`].
//! Each frame it takes in what the tasks finished ([`results`]), draws the screens (which only
//! read state and push [`Command`]s) and then runs the commands ([`commands`]). Anything that
//! touches the disk or the network runs as a task, so no frame waits on I/O. ARCHITECTURE.md
//! draws the flow.

pub mod commands;
mod results;
pub mod screens;
pub mod state;
pub mod tasks;
pub mod widgets;

use std::path::PathBuf;

pub use commands::{
    AuditCommand, Command, EditCommand, ExportCommand, FolderCommand, SiteCommand, ViewCommand,
    WindowCommand,
};
pub use state::export::{ExportRequest, ExportScope, Unsaved};
pub use state::{Settings, View, settings};
pub use tasks::pick::DialogKind;

use screens::{Ctx, Screens};
use state::export::ExportState;
use state::{Docs, Notifications};
use tasks::Tasks;
use tasks::files::Job;

/// The app's state between frames.
pub struct PolicyDeskApp {
    pub settings: Settings,
    /// The open folder; `None` until the first load finishes.
    pub docs: Option<Docs>,
    pub notifications: Notifications,
    /// Each screen's own state (what is typed, scrolled, selected, cached).
    pub screens: Screens,
    export: ExportState,
    tasks: Tasks,
    /// Commands collected during the frame, run at its end.
    commands: Vec<Command>,
    /// Set once the user chose to close despite unsaved changes (or after saving them all).
    close_confirmed: bool,
    /// Close as soon as the saves under way have finished without a conflict.
    close_after_save: bool,
    title: String,
    frames: u64,
}

impl PolicyDeskApp {
    /// The app on `dir`, or (when `None`) on the folder open last time, else the default folder.
    pub fn new(cc: &eframe::CreationContext<'_>, dir: Option<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        Self::with_settings(&cc.egui_ctx, dir, settings)
    }

    /// The app drawn into `ctx` by the caller (benchmarks drive frames with [`Self::frame_ui`]).
    pub fn with_settings(ctx: &egui::Context, dir: Option<PathBuf>, settings: Settings) -> Self {
        let mut tasks = Tasks::new(ctx);
        tasks.files.send(Job::Open(settings.start_folder(dir)));
        Self {
            settings,
            docs: None,
            notifications: Default::default(),
            screens: Default::default(),
            export: Default::default(),
            tasks,
            commands: Vec::new(),
            close_confirmed: false,
            close_after_save: false,
            title: String::new(),
            frames: 0,
        }
    }

    /// Whether file work, an export or the reading of the audit history is under way.
    pub fn is_busy(&self) -> bool {
        self.tasks.busy()
    }

    /// Whether a live audit is running.
    pub fn audit_running(&self) -> bool {
        self.tasks.audits.running.is_some()
    }

    /// Whether the audit history of the open folder is still being read.
    pub fn audit_history_loading(&self) -> bool {
        self.tasks.audits.loading_history()
    }

    /// Whether a dialog (conflict, confirmation, new site, a file dialog, an export's question)
    /// is open.
    pub fn dialog_open(&self) -> bool {
        self.screens.dialogs.is_open() || self.export.question.is_some()
    }

    /// Which file dialog asks for paths: the system's, or the app's own.
    pub fn set_file_dialog(&mut self, kind: DialogKind) {
        self.tasks.picker.kind = kind;
    }

    /// What the side-by-side previews highlight, one entry per compared site (for tests).
    pub fn compare_marks(&self) -> Vec<screens::preview::Marks> {
        self.screens.compare.marks()
    }

    /// The sites an export of `scope` takes now, as the Export menu would send them.
    pub fn export_ids(&self, scope: ExportScope) -> Vec<String> {
        self.docs.as_ref().map_or_else(Vec::new, |docs| {
            state::export::scope_ids(scope, docs, &self.settings)
        })
    }

    /// Queues a command, as a screen does.
    pub fn push(&mut self, command: impl Into<Command>) {
        self.commands.push(command.into());
    }

    fn run_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            // What a command opens (a question, a progress window) shows from the next frame.
            ctx.request_repaint();
        }
        for command in commands {
            self.run_command(ctx, command);
        }
    }

    /// Closes once the saves asked for by "Save all and close" ended without a conflict.
    fn close_when_saved(&mut self, ctx: &egui::Context) {
        if self.close_after_save
            && !self.is_busy()
            && !self.screens.dialogs.is_open()
            && let Some(docs) = &self.docs
        {
            self.close_after_save = false;
            if docs.dirty_count() == 0 {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.docs {
            Some(docs) => {
                let mark = if docs.dirty_count() > 0 { "• " } else { "" };
                format!("{mark}PolicyDesk — {}", docs.dir.display())
            }
            None => "PolicyDesk".to_string(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.close_confirmed
            && self.docs.as_ref().is_some_and(|d| d.dirty_count() > 0)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.push(WindowCommand::AskClose);
        }
    }

    /// Draws one frame into `ui` (the whole window).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.receive();
        self.close_when_saved(&ctx);
        self.handle_close_request(&ctx);
        if !self.dialog_open() {
            for action in commands::table::pressed(&ctx) {
                self.commands.push(action.command());
            }
        }
        // While the folder loads, screens draw an empty one.
        let mut empty = Docs::default();
        let loading = self.docs.is_none();
        let docs = match &mut self.docs {
            Some(docs) => docs,
            None => &mut empty,
        };
        let mut ctx_value = Ctx {
            loading,
            docs,
            settings: &mut self.settings,
            commands: &mut self.commands,
            tasks: &self.tasks,
            export: &mut self.export,
            notes: &mut self.notifications,
        };
        self.screens.ui(ui, &mut ctx_value);
        self.run_commands(&ctx);
        self.update_title(&ctx);
        self.frames += 1;
        trace_startup(self.frames, self.docs.is_some());
    }
}

/// With `POLICYDESK_TRACE_STARTUP` set, prints the wall-clock time (Unix nanoseconds) of the
/// first frame and of the first frame showing the loaded sites, for the start-up benchmark.
fn trace_startup(frame: u64, loaded: bool) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static LOADED: AtomicBool = AtomicBool::new(false);
    if std::env::var_os("POLICYDESK_TRACE_STARTUP").is_none() {
        return;
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    if frame == 1 {
        eprintln!("policydesk: first frame at {now}");
    }
    if loaded && !LOADED.swap(true, Ordering::Relaxed) {
        eprintln!("policydesk: first frame with the sites at {now}");
    }
}

impl eframe::App for PolicyDeskApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }
}

/// Opens the app window on `dir` (or the last or default folder) and runs until it is closed.
pub fn run(dir: Option<PathBuf>) -> Result<(), String> {
    let options = eframe::NativeOptions {
        renderer: eframe::Renderer::Glow,
        viewport: egui::ViewportBuilder::default()
            .with_title("PolicyDesk")
            .with_app_id("policydesk")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0]),
        ..Default::default()
    };
    eframe::run_native(
        "PolicyDesk",
        options,
        Box::new(move |cc| Ok(Box::new(PolicyDeskApp::new(cc, dir)))),
    )
    .map_err(|e| e.to_string())
}
