//! Small pieces several screens draw: form fields, colours, severity marks and findings, the
//! language switch.

pub mod colors;
pub mod fields;
pub mod language;
pub mod severity;
