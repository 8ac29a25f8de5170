//! Drawing laid-out pages with krilla: every line as real text in an embedded, subset font, the
//! footer with page numbers, and the tag tree that gives the PDF its reading order and
//! structure (headings, paragraphs, lists, the table with its header cells).

use std::collections::HashMap;
use std::num::{NonZeroU16, NonZeroU32};

use krilla::Document as Pdf;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};

use super::PdfError;
use super::fonts::{FACES, Faces, Weight};
use super::layout::{Item, Layout, MARGIN_X, PAGE_HEIGHT, PAGE_WIDTH, Role};
use super::lines::{Line, Piece, Shaped};
use crate::render::document::{Block, Document};
use crate::render::inline::plain;

const FOOTER_SIZE: f32 = 8.0;
const TEXT_GREY: u8 = 20;
const FOOTER_GREY: u8 = 90;
/// Links in the accent blue of the HTML pages' stylesheet.
const LINK: (u8, u8, u8) = (0x0b, 0x5c, 0xad);

/// The PDF of `doc` as laid out in `layout`.
pub fn write(doc: &Document, layout: &Layout) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Pdf::new_with(krilla::SerializeSettings {
        enable_tagging: true,
        ..Default::default()
    });
    // Each part's lines (and links) in drawing order, for the tag tree.
    let mut nodes: HashMap<Role, Vec<Node>> = HashMap::new();
    let total = layout.pages.len();
    let footer_left = format!(
        "{} · Policy version {} · last reviewed {}",
        doc.site_name, doc.policy_version, doc.last_review
    );
    let footer_left = Shaped::plain(&footer_left, Weight::Regular, FOOTER_SIZE);
    for (number, page) in layout.pages.iter().enumerate() {
        let mut pdf_page =
            pdf.start_page_with(PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError)?);
        let mut surface = pdf_page.surface();
        // Links drawn on this page: their annotations are added once the surface is done.
        let mut links: Vec<PendingLink> = Vec::new();
        for item in &page.items {
            match item {
                Item::Rect([x, y, w, h], grey) => {
                    artifact(&mut surface, ArtifactType::Layout, |s| {
                        rect(s, *x, *y, *w, *h, *grey)
                    });
                }
                Item::Text {
                    shaped,
                    line,
                    x,
                    baseline,
                    role,
                } => {
                    let shaped = &layout.shaped[*shaped];
                    if *role == Role::RepeatedHeader {
                        artifact(&mut surface, ArtifactType::PaginationOther, |s| {
                            text(s, shaped, line, *x, *baseline, TEXT_GREY)
                        });
                    } else {
                        let parts = nodes.entry(*role).or_default();
                        for (id, link) in tagged_text(&mut surface, shaped, line, *x, *baseline) {
                            match link {
                                None => parts.push(id.into()),
                                Some((url, rect)) => {
                                    links.push(PendingLink {
                                        role: *role,
                                        index: parts.len(),
                                        url,
                                        rect,
                                    });
                                    parts.push(
                                        TagGroup::with_children(Tag::Link, vec![id.into()]).into(),
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
        footer(&mut surface, &footer_left, number + 1, total);
        surface.finish();
        for link in links {
            let target = Target::Action(LinkAction::new(link.url.clone()).into());
            let annotation =
                Annotation::new_link(LinkAnnotation::new(link.rect, target), Some(link.url));
            let id = pdf_page.add_tagged_annotation(annotation);
            // The link's group holds its text, then its annotation.
            if let Some(Node::Group(group)) = nodes
                .get_mut(&link.role)
                .and_then(|n| n.get_mut(link.index))
            {
                group.push(id);
            }
        }
        pdf_page.finish();
    }
    pdf.set_tag_tree(tag_tree(doc, &mut nodes));
    pdf.set_metadata(
        Metadata::new()
            .title(format!("{} · {}", doc.title, doc.site_name))
            .language(doc.lang.clone())
            .creator(format!("{} {}", crate::TOOL, crate::VERSION))
            // Stable across exports: the same policy page in the same language.
            .document_id(format!("{}#{}", doc.policy_url, doc.lang)),
    );
    pdf.finish().map_err(|_| PdfError)
}

fn artifact(surface: &mut Surface, kind: ArtifactType, draw: impl FnOnce(&mut Surface)) {
    surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
    draw(surface);
    surface.end_tagged();
}

fn fill(grey: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(grey, grey, grey).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn rect(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32, grey: u8) {
    let mut path = PathBuilder::new();
    if let Some(r) = Rect::from_xywh(x, y, w, h) {
        path.push_rect(r);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(Some(fill(grey)));
        surface.draw_path(&path);
    }
}

/// A link drawn on a page, waiting for its annotation: its group is `nodes[role][index]`.
struct PendingLink {
    role: Role,
    index: usize,
    url: String,
    rect: Rect,
}

/// Draws `line` one piece at a time, each marked as a span: its identifier, and for a link its
/// address and the area to click.
fn tagged_text(
    surface: &mut Surface,
    shaped: &Shaped,
    line: &Line,
    x: f32,
    baseline: f32,
) -> Vec<(Identifier, Option<(String, Rect)>)> {
    let Some(faces) = FACES.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for piece in shaped.pieces(line) {
        let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
        let (r, g, b) = if piece.span.link.is_some() {
            LINK
        } else {
            (TEXT_GREY, TEXT_GREY, TEXT_GREY)
        };
        surface.set_fill(Some(Fill {
            paint: rgb::Color::new(r, g, b).into(),
            ..fill(0)
        }));
        draw_piece(surface, faces, shaped, &piece, x, baseline);
        surface.end_tagged();
        let size = shaped.size;
        let link = piece.span.link.clone().and_then(|url| {
            let rect = Rect::from_xywh(x + piece.x, baseline - size, piece.width, size * 1.25)?;
            Some((url, rect))
        });
        out.push((id, link));
    }
    out
}

fn draw_piece(
    surface: &mut Surface,
    faces: &Faces,
    shaped: &Shaped,
    piece: &Piece<'_>,
    x: f32,
    baseline: f32,
) {
    let glyphs: Vec<_> = piece.glyphs.iter().map(|(g, _)| g.clone()).collect();
    surface.draw_glyphs(
        Point::from_xy(x + piece.x, baseline),
        &glyphs,
        faces.get(piece.span.weight).font.clone(),
        &shaped.text,
        shaped.size,
        false,
    );
}

fn text(surface: &mut Surface, shaped: &Shaped, line: &Line, x: f32, baseline: f32, grey: u8) {
    let Some(faces) = FACES.as_ref() else {
        return;
    };
    surface.set_fill(Some(fill(grey)));
    for piece in shaped.pieces(line) {
        draw_piece(surface, faces, shaped, &piece, x, baseline);
    }
}

/// "Site · Policy version · last reviewed" on the left, "Page n of N" on the right.
fn footer(surface: &mut Surface, left: &Shaped, number: usize, total: usize) {
    let baseline = PAGE_HEIGHT - 36.0;
    let page = Shaped::plain(
        &format!("Page {number} of {total}"),
        Weight::Regular,
        FOOTER_SIZE,
    );
    artifact(surface, ArtifactType::Footer, |s| {
        rect(
            s,
            MARGIN_X,
            baseline - 14.0,
            PAGE_WIDTH - 2.0 * MARGIN_X,
            0.5,
            180,
        );
        let width = PAGE_WIDTH - 2.0 * MARGIN_X;
        let page_width = page.natural_width();
        // A very long site name wraps on the left; the page number keeps its place.
        for (k, line) in left
            .break_lines(width - page_width - 24.0)
            .iter()
            .enumerate()
        {
            text(
                s,
                left,
                line,
                MARGIN_X,
                baseline + k as f32 * 10.0,
                FOOTER_GREY,
            );
        }
        for line in page.break_lines(f32::INFINITY).iter() {
            text(
                s,
                &page,
                line,
                PAGE_WIDTH - MARGIN_X - page_width,
                baseline,
                FOOTER_GREY,
            );
        }
    });
}

/// The document's structure in reading order, each part holding the lines drawn for it.
fn tag_tree(doc: &Document, nodes: &mut HashMap<Role, Vec<Node>>) -> TagTree {
    let mut take = |role: Role| -> Vec<Node> { nodes.remove(&role).unwrap_or_default() };
    let mut tree = TagTree::new().with_lang(Some(doc.lang.clone()));
    for (b, block) in doc.blocks.iter().enumerate() {
        let group = match block {
            Block::Heading { level, text } => {
                let level = NonZeroU16::new(u16::from(*level)).unwrap_or(NonZeroU16::MIN);
                TagGroup::with_children(Tag::Hn(level, Some(plain(text))), take(Role::Block(b)))
            }
            Block::Paragraph(_) => TagGroup::with_children(Tag::P, take(Role::Block(b))),
            Block::List(items) => {
                let mut list = TagGroup::new(Tag::L(ListNumbering::Disc));
                for i in 0..items.len() {
                    let label = TagGroup::with_children(Tag::Lbl, take(Role::ListLabel(b, i)));
                    let body = TagGroup::with_children(Tag::LBody, take(Role::ListItem(b, i)));
                    list.push(TagGroup::with_children(
                        Tag::LI,
                        vec![label.into(), body.into()],
                    ));
                }
                list
            }
            Block::Table(table) => {
                let mut cell = |tag: TagKind, role| TagGroup::with_children(tag, take(role));
                let mut head_row = TagGroup::new(Tag::TR);
                for c in 0..table.headers.len() {
                    head_row.push(cell(
                        Tag::TH(TableHeaderScope::Column).into(),
                        Role::HeaderCell(b, c),
                    ));
                }
                let mut body = TagGroup::new(Tag::TBody);
                let span = NonZeroU32::new(u32::try_from(table.headers.len()).unwrap_or(1));
                for r in 0..table.rows.len() {
                    for g in 0..table.rows[r].groups.len() {
                        let th = Tag::TH(TableHeaderScope::Row).with_col_span(span);
                        let mut row = TagGroup::new(Tag::TR);
                        row.push(cell(th.into(), Role::GroupCell(b, r, g)));
                        body.push(row);
                    }
                    let mut row = TagGroup::new(Tag::TR);
                    for c in 0..table.headers.len() {
                        row.push(cell(Tag::TD.into(), Role::Cell(b, r, c)));
                    }
                    body.push(row);
                }
                TagGroup::with_children(
                    Tag::Table,
                    vec![
                        TagGroup::with_children(Tag::THead, vec![head_row.into()]).into(),
                        body.into(),
                    ],
                )
            }
        };
        tree.push(group);
    }
    tree
}
