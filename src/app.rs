//! The desktop app: every portal's policy side by side, edited safely, previewed live.
//!
//! One struct, [`PolicyDeskApp`], owns the open sites folder ([`docs::Docs`]), the panels and
//! the dialogs. Panels only read state and collect [`Command`]s; the commands run at the end of
//! the frame, and anything touching the disk goes to the [`worker::Worker`] thread, so no frame
//! waits on I/O.

mod audit_panel;
mod audit_worker;
mod command;
mod compare;
mod cookie_editor;
mod dialogs;
mod docs;
pub mod editor;
mod export_dialog;
mod export_flow;
mod export_job;
mod fields;
mod help;
mod history;
mod matrix;
mod notify;
pub mod preview;
pub mod settings;
mod sites_panel;
mod toolbar;
mod worker;

use std::path::PathBuf;

pub use command::Command;
pub use export_flow::{ExportRequest, ExportScope, Unsaved};
pub use settings::{Settings, View};

use dialogs::Dialogs;
use docs::Docs;
use notify::Notifications;
use worker::{Done, Job, Worker};

/// The app's state between frames.
pub struct PolicyDeskApp {
    pub settings: Settings,
    /// The open folder; `None` until the first load finishes.
    pub docs: Option<Docs>,
    pub editor: editor::EditorState,
    pub compare: compare::CompareState,
    sites_panel: sites_panel::SitesPanel,
    audit: audit_panel::AuditPanel,
    dialogs: Dialogs,
    pub notifications: Notifications,
    worker: Worker,
    export: export_flow::ExportFlow,
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
    /// The app on `dir`, or (when `None`) on the last folder used, else the default folder.
    pub fn new(cc: &eframe::CreationContext<'_>, dir: Option<PathBuf>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        Self::with_settings(&cc.egui_ctx, dir, settings)
    }

    /// The app drawn into `ctx` by the caller (benchmarks drive frames with [`Self::frame_ui`]).
    pub fn with_settings(ctx: &egui::Context, dir: Option<PathBuf>, settings: Settings) -> Self {
        let dir = dir.or_else(|| settings.last_dir.clone().filter(|d| d.is_dir()));
        let worker = Worker::start(ctx.clone());
        worker.send(Job::Open(dir));
        Self {
            settings,
            docs: None,
            editor: Default::default(),
            compare: Default::default(),
            sites_panel: Default::default(),
            audit: audit_panel::AuditPanel::new(ctx.clone()),
            dialogs: Default::default(),
            notifications: Default::default(),
            worker,
            export: export_flow::ExportFlow::new(ctx.clone()),
            commands: Vec::new(),
            close_confirmed: false,
            close_after_save: false,
            title: String::new(),
            frames: 0,
        }
    }

    /// Whether the worker has jobs under way (loading, saving, moving to the trash, reading the
    /// audit history).
    pub fn is_busy(&self) -> bool {
        self.worker.pending() > 0 || self.export.busy() || self.audit.worker.loading_history
    }

    /// Whether a live audit is running.
    pub fn audit_running(&self) -> bool {
        self.audit.worker.running.is_some()
    }

    /// Whether the audit history of the open folder is still being read.
    pub fn audit_history_loading(&self) -> bool {
        self.audit.worker.loading_history
    }

    /// Whether a dialog (conflict, confirmation, new site, an export's question) is open.
    pub fn dialog_open(&self) -> bool {
        self.dialogs.is_open() || self.export.question.is_some()
    }

    /// What the side-by-side previews highlight, one entry per compared site (for tests).
    pub fn compare_marks(&self) -> Vec<preview::Marks> {
        self.compare.marks()
    }

    /// The sites an export of `scope` takes now, as the Export menu would send them.
    pub fn export_ids(&self, scope: ExportScope) -> Vec<String> {
        self.docs.as_ref().map_or_else(Vec::new, |docs| {
            export_flow::scope_ids(scope, docs, &self.settings)
        })
    }

    /// Queues a command, as a panel does.
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    fn receive(&mut self, ctx: &egui::Context) {
        while let Some(done) = self.worker.try_recv() {
            match done {
                Done::Opened(Ok(loaded)) => {
                    let docs = Docs::from_loaded(loaded);
                    self.settings.last_dir = Some(docs.dir.clone());
                    if self
                        .settings
                        .selected
                        .as_ref()
                        .is_none_or(|id| docs.index_of(id).is_none())
                    {
                        self.settings.selected = docs.sites.first().map(|d| d.id().to_string());
                    }
                    self.compare.reset_for(&docs);
                    self.editor = Default::default();
                    self.audit.opened(&docs);
                    self.docs = Some(docs);
                }
                Done::Opened(Err(e)) => self.notifications.error(e),
                Done::FolderPicked(Some(dir)) => self.open_folder(dir),
                Done::FolderPicked(None) => {}
                other => {
                    if let Some(docs) = &mut self.docs {
                        docs::apply_done(
                            docs,
                            other,
                            &mut self.dialogs,
                            &mut self.notifications,
                            &mut self.settings,
                            &mut self.editor,
                        );
                    }
                }
            }
        }
        let follow = self.export.poll(
            self.docs.as_ref(),
            &mut self.notifications,
            self.dialogs.is_open(),
        );
        self.commands.extend(follow);
        self.audit
            .receive(self.docs.as_mut(), &mut self.notifications);
        if self.close_after_save
            && !self.is_busy()
            && !self.dialogs.is_open()
            && let Some(docs) = &self.docs
        {
            self.close_after_save = false;
            if docs.dirty_count() == 0 {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    fn open_folder(&mut self, dir: PathBuf) {
        if self.docs.as_ref().is_some_and(|d| d.dirty_count() > 0) {
            self.notifications
                .error("Save or undo the unsaved changes before opening another folder.".into());
            return;
        }
        self.worker.send(Job::Open(Some(dir)));
    }

    fn run_commands(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.commands) {
            self.run_command(ctx, command);
        }
    }

    fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::PickFolder => self.worker.pick_folder(),
            Command::OpenFolder(dir) => self.open_folder(dir),
            Command::SetView(view) => self.settings.view = view,
            Command::ToggleHelp => self.settings.show_help = !self.settings.show_help,
            Command::Select(id) => {
                if self.settings.selected.as_ref() != Some(&id) {
                    self.editor.selected_cookie = None;
                }
                self.settings.selected = Some(id);
            }
            Command::OpenCookie { site, cookie } => {
                self.settings.selected = Some(site.clone());
                self.settings.view = View::Editor;
                self.editor.selected_cookie = self
                    .docs
                    .as_ref()
                    .and_then(|d| d.get(&site))
                    .and_then(|doc| doc.site().cookies.iter().position(|c| c.name() == cookie));
                self.editor.scroll_to_cookie = true;
            }
            Command::ToggleCompared(id) => {
                let compared = &mut self.settings.compared;
                match compared.iter().position(|c| *c == id) {
                    Some(i) => {
                        compared.remove(i);
                    }
                    None if compared.len() < compare::MAX_COMPARED => compared.push(id),
                    None => {}
                }
            }
            Command::Audit { .. } | Command::CancelAudit | Command::DeclareCookie { .. } => {
                let Some(docs) = &mut self.docs else { return };
                let follow = self.audit.run_command(
                    docs,
                    command,
                    &mut self.notifications,
                    &mut self.settings,
                    &mut self.editor,
                );
                for command in follow {
                    self.run_command(ctx, command);
                }
            }
            Command::AskClose => {
                self.close_confirmed = false;
                self.dialogs.open_unsaved_close();
            }
            Command::CloseDiscarding => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::SaveAllAndClose => {
                self.close_after_save = true;
                self.run_command(ctx, Command::SaveAll);
            }
            Command::AskExport { .. } | Command::Export(_) | Command::CancelExport => {
                let now = self.export.run_command(
                    command,
                    self.docs.as_ref(),
                    &self.settings,
                    &mut self.notifications,
                );
                for command in now {
                    self.run_command(ctx, command);
                }
            }
            other => {
                let Some(docs) = &mut self.docs else { return };
                docs::run_command(
                    docs,
                    other,
                    &self.worker,
                    &mut self.dialogs,
                    &mut self.notifications,
                    &mut self.settings,
                    ctx.input(|i| i.time),
                );
            }
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = match &self.docs {
            Some(docs) => {
                let dirty = docs.dirty_count();
                let mark = if dirty > 0 { "• " } else { "" };
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
            self.push(Command::AskClose);
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        if self.dialog_open() {
            return;
        }
        let pressed = |m: Modifiers, k: Key| {
            ctx.input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(m, k)))
        };
        // Longest modifier sets first, so Ctrl+Shift+Z is not taken for Ctrl+Z.
        if pressed(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)
            || pressed(Modifiers::COMMAND, Key::Y)
        {
            self.push(Command::Redo);
        }
        if pressed(Modifiers::COMMAND, Key::Z) {
            self.push(Command::Undo);
        }
        if pressed(Modifiers::COMMAND | Modifiers::SHIFT, Key::S) {
            self.push(Command::SaveAll);
        } else if pressed(Modifiers::COMMAND, Key::S) {
            self.push(Command::SaveSelected);
        }
        if pressed(Modifiers::COMMAND, Key::O) {
            self.push(Command::PickFolder);
        }
        if pressed(Modifiers::COMMAND, Key::F) {
            self.sites_panel.focus_filter = true;
        }
        if pressed(Modifiers::NONE, Key::F1) {
            self.push(Command::ToggleHelp);
        }
        if pressed(Modifiers::COMMAND, Key::Num1) {
            self.push(Command::SetView(View::Editor));
        }
        if pressed(Modifiers::COMMAND, Key::Num2) {
            self.push(Command::SetView(View::Compare));
        }
        if pressed(Modifiers::COMMAND, Key::Num3) {
            self.push(Command::SetView(View::Audit));
        }
    }

    /// Draws one frame into `ui` (the whole window).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.receive(&ctx);
        self.handle_close_request(&ctx);
        self.shortcuts(&ctx);

        let mut commands = std::mem::take(&mut self.commands);
        toolbar::ui(
            ui,
            self.docs.as_ref(),
            &self.settings,
            &self.worker,
            &mut commands,
        );
        notify::status_bar(ui, &mut self.notifications, self.docs.as_ref());
        self.sites_panel
            .ui(ui, self.docs.as_ref(), &self.settings, &mut commands);
        if self.settings.show_help {
            help::panel(ui, &mut self.settings.show_help);
        }
        egui::CentralPanel::default().show(ui, |ui| match &mut self.docs {
            None => {
                ui.centered_and_justified(|ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Loading the sites folder…");
                    });
                });
            }
            Some(docs) => match self.settings.view {
                View::Editor => editor::ui(
                    ui,
                    docs,
                    &mut self.editor,
                    &mut self.settings,
                    &mut commands,
                ),
                View::Compare => self.compare.ui(ui, docs, &mut self.settings, &mut commands),
                View::Audit => self.audit.ui(ui, docs, &self.settings, &mut commands),
            },
        });
        if let Some(docs) = &self.docs {
            self.dialogs.ui(&ctx, docs, &mut commands);
        }
        export_dialog::ui(
            &ctx,
            &mut self.export,
            self.dialogs.is_open(),
            &mut commands,
        );
        self.commands.extend(commands);
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
