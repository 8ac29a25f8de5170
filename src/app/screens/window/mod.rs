//! The window's frame: the toolbar, the status bar and the help panel.

pub mod help;
pub mod status_bar;
pub mod toolbar;
