//! The commands a user gives from the toolbar or the keyboard: for each, its label, what it
//! does (the tooltip and the help line) and its shortcuts, in one table. The toolbar draws its
//! buttons from it, the help panel lists it and the key handling reads its shortcuts.

use egui::{Key, KeyboardShortcut, ModifierNames, Modifiers};

use super::{Command, EditCommand, FolderCommand, SiteCommand, ViewCommand, WindowCommand};
use crate::app::state::View;

/// A command with a fixed meaning, given from the toolbar or a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    OpenFolder,
    Save,
    SaveAll,
    Undo,
    Redo,
    FilterSites,
    FindReplace,
    ShowEditor,
    ShowCompare,
    ShowAudit,
    Help,
}

/// One row of the table.
pub struct Spec {
    /// The button's text (and its accessible name).
    pub label: &'static str,
    /// What it does: the tooltip and the help panel's line.
    pub does: &'static str,
    /// The first is shown; all work.
    pub shortcuts: &'static [KeyboardShortcut],
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const CTRL: Modifiers = Modifiers::COMMAND;
const CTRL_SHIFT: Modifiers = Modifiers {
    shift: true,
    ..Modifiers::COMMAND
};

impl Action {
    /// Every action, in the order the help panel lists them.
    pub const ALL: &'static [Action] = &[
        Action::Save,
        Action::SaveAll,
        Action::Undo,
        Action::Redo,
        Action::OpenFolder,
        Action::FilterSites,
        Action::FindReplace,
        Action::ShowEditor,
        Action::ShowCompare,
        Action::ShowAudit,
        Action::Help,
    ];

    pub fn spec(self) -> Spec {
        let (label, does, shortcuts): (_, _, &'static [KeyboardShortcut]) = match self {
            Action::OpenFolder => (
                "Open folder…",
                "Open another sites folder",
                const { &[key(CTRL, Key::O)] },
            ),
            Action::Save => (
                "Save",
                "Save the selected site",
                const { &[key(CTRL, Key::S)] },
            ),
            Action::SaveAll => (
                "Save all",
                "Save every site with unsaved changes",
                const { &[key(CTRL_SHIFT, Key::S)] },
            ),
            Action::Undo => (
                "Undo",
                "Undo the last edit of this site",
                const { &[key(CTRL, Key::Z)] },
            ),
            Action::Redo => (
                "Redo",
                "Redo the last edit undone",
                const { &[key(CTRL_SHIFT, Key::Z), key(CTRL, Key::Y)] },
            ),
            Action::FilterSites => ("Filter", "Filter the sites", const { &[key(CTRL, Key::F)] }),
            Action::FindReplace => (
                "Replace…",
                "Find and replace across sites, with a preview of every change",
                const { &[key(CTRL, Key::H)] },
            ),
            Action::ShowEditor => (
                "Editor",
                "Edit the selected site",
                const { &[key(CTRL, Key::Num1)] },
            ),
            Action::ShowCompare => (
                "Side by side",
                "Compare sites side by side",
                const { &[key(CTRL, Key::Num2)] },
            ),
            Action::ShowAudit => (
                "Audit",
                "Audit the sites against the live portals",
                const { &[key(CTRL, Key::Num3)] },
            ),
            Action::Help => (
                "Help",
                "Show or hide the keyboard shortcuts",
                const { &[key(Modifiers::NONE, Key::F1)] },
            ),
        };
        Spec {
            label,
            does,
            shortcuts,
        }
    }

    pub fn command(self) -> Command {
        match self {
            Action::OpenFolder => FolderCommand::Pick.into(),
            Action::Save => SiteCommand::SaveSelected.into(),
            Action::SaveAll => SiteCommand::SaveAll.into(),
            Action::Undo => EditCommand::Undo.into(),
            Action::Redo => EditCommand::Redo.into(),
            Action::FilterSites => WindowCommand::FocusFilter.into(),
            Action::FindReplace => WindowCommand::ToggleReplace.into(),
            Action::ShowEditor => ViewCommand::Show(View::Editor).into(),
            Action::ShowCompare => ViewCommand::Show(View::Compare).into(),
            Action::ShowAudit => ViewCommand::Show(View::Audit).into(),
            Action::Help => WindowCommand::ToggleHelp.into(),
        }
    }

    /// The view an action shows, for the toolbar's view switch.
    pub fn view(self) -> Option<View> {
        match self {
            Action::ShowEditor => Some(View::Editor),
            Action::ShowCompare => Some(View::Compare),
            Action::ShowAudit => Some(View::Audit),
            Action::OpenFolder
            | Action::Save
            | Action::SaveAll
            | Action::Undo
            | Action::Redo
            | Action::FilterSites
            | Action::FindReplace
            | Action::Help => None,
        }
    }
}

impl Spec {
    /// "Ctrl+Shift+Z / Ctrl+Y".
    pub fn keys(&self) -> String {
        self.shortcuts
            .iter()
            .map(|s| s.format(&ModifierNames::NAMES, false))
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// "Undo the last edit of this site (Ctrl+Z)".
    pub fn tooltip(&self) -> String {
        format!("{} ({})", self.does, self.keys())
    }
}

/// The actions whose shortcut was pressed this frame. Shortcuts with more modifiers are tried
/// first, so Ctrl+Shift+Z is not taken for Ctrl+Z (egui matches extra Shift loosely).
pub fn pressed(ctx: &egui::Context) -> Vec<Action> {
    // Most frames have no key press: one look at the input instead of one per shortcut.
    let any_key = ctx.input(|i| {
        i.events
            .iter()
            .any(|e| matches!(e, egui::Event::Key { pressed: true, .. }))
    });
    if !any_key {
        return Vec::new();
    }
    let mut keys: Vec<(KeyboardShortcut, Action)> = Action::ALL
        .iter()
        .flat_map(|&a| a.spec().shortcuts.iter().map(move |&s| (s, a)))
        .collect();
    keys.sort_by_key(|(s, _)| {
        let m = s.modifiers;
        std::cmp::Reverse(
            usize::from(m.shift) + usize::from(m.command || m.ctrl) + usize::from(m.alt),
        )
    });
    let mut out = Vec::new();
    for (shortcut, action) in keys {
        if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) && !out.contains(&action) {
            out.push(action);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn every_action_has_a_label_and_a_shortcut_no_other_has() {
        let mut seen = Vec::new();
        for &a in Action::ALL {
            let spec = a.spec();
            assert!(
                !spec.label.is_empty() && !spec.shortcuts.is_empty(),
                "{a:?}"
            );
            for s in spec.shortcuts {
                assert!(!seen.contains(s), "{a:?} shares a shortcut");
                seen.push(*s);
            }
        }
        assert_eq!(Action::Redo.spec().keys(), "Ctrl+Shift+Z / Ctrl+Y");
    }
}
