//! The document's fonts. Each face's glyphs are numbered as the pages first show
//! them, so a page's text is written at once; when the last page is written, each
//! face used is embedded cut down to those glyphs, as a CID font (`Identity-H`: the
//! text's two-byte codes are the subset's glyph numbers) with its widths and a
//! `/ToUnicode` map, so the text stays searchable and copyable.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use super::file::{deflate, name, ObjectId, PdfFile};
use crate::error::PrintError;
use crate::font::{subset_bytes, subset_name, FaceKind};

#[derive(Default)]
pub(crate) struct Fonts {
    faces: BTreeMap<FaceKind, FaceUse>,
}

#[derive(Default)]
struct FaceUse {
    glyphs: subsetter::GlyphRemapper,
    /// By new glyph number − 1: the character it draws and its width (1/1000 em).
    shown: Vec<(char, i32)>,
}

impl Fonts {
    /// The resource name a page's text in `face` uses.
    pub fn resource_name(face: FaceKind) -> String {
        format!("F{}", face as u8)
    }

    /// Appends `text` as a hex string of the face's glyph numbers, numbering the
    /// glyphs not shown before.
    pub fn encode(&mut self, face: FaceKind, text: &str, out: &mut Vec<u8>) {
        let metrics = face.metrics();
        let used = self.faces.entry(face).or_default();
        out.push(b'<');
        for c in text.chars() {
            let (old, width) = metrics.glyph_and_width(c);
            let before = used.glyphs.num_gids();
            let new = used.glyphs.remap(old);
            if used.glyphs.num_gids() > before {
                used.shown.push((c, width));
            }
            let _ = write!(out, "{new:04X}");
        }
        out.push(b'>');
    }

    /// Embeds every face used; returns each one's resource name and font object.
    pub fn write<W: Write>(
        self,
        file: &mut PdfFile<W>,
    ) -> Result<Vec<(String, ObjectId)>, PrintError> {
        let mut written = Vec::with_capacity(self.faces.len());
        for (face, used) in self.faces {
            let id = write_face(file, face, &used)?;
            written.push((Self::resource_name(face), id));
        }
        Ok(written)
    }
}

fn write_face<W: Write>(
    file: &mut PdfFile<W>,
    face: FaceKind,
    used: &FaceUse,
) -> Result<ObjectId, PrintError> {
    let program = subset_bytes(face, &used.glyphs)?;
    let base_font = name(&subset_name(face, used.shown.iter().map(|(c, _)| *c)));
    let d = face.descriptor();

    let program_id = file.reserve();
    let compressed = deflate(&program)?;
    file.stream(
        program_id,
        &format!(" /Filter /FlateDecode /Length1 {}", program.len()),
        &compressed,
    )?;

    let descriptor_id = file.reserve();
    let [x0, y0, x1, y1] = d.bbox;
    // Non-symbolic (32: Latin text in the standard character set), serif (2) or not.
    let flags = if d.serif { 34 } else { 32 };
    file.object(
        descriptor_id,
        &format!(
            "<</Type /FontDescriptor /FontName {base_font} /Flags {flags} /FontBBox [{x0} {y0} {x1} {y1}] \
             /ItalicAngle {} /Ascent {} /Descent {} /CapHeight {} /StemV 80 /FontFile2 {program_id} 0 R>>",
            d.italic_angle, d.ascent, d.descent, d.cap_height,
        ),
    )?;

    let mut widths = String::from("[1 [");
    for (i, (_, width)) in used.shown.iter().enumerate() {
        if i > 0 {
            widths.push(' ');
        }
        let _ = write!(widths, "{width}");
    }
    widths.push_str("]]");
    let cid_font_id = file.reserve();
    file.object(
        cid_font_id,
        &format!(
            "<</Type /Font /Subtype /CIDFontType2 /BaseFont {base_font} \
             /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> \
             /FontDescriptor {descriptor_id} 0 R /CIDToGIDMap /Identity /DW 0 /W {widths}>>"
        ),
    )?;

    let to_unicode_id = file.reserve();
    file.stream(
        to_unicode_id,
        " /Filter /FlateDecode",
        &deflate(to_unicode(&used.shown).as_bytes())?,
    )?;

    let font_id = file.reserve();
    file.object(
        font_id,
        &format!(
            "<</Type /Font /Subtype /Type0 /BaseFont {base_font} /Encoding /Identity-H \
             /DescendantFonts [{cid_font_id} 0 R] /ToUnicode {to_unicode_id} 0 R>>"
        ),
    )?;
    Ok(font_id)
}

/// The CMap from glyph numbers back to text (ISO 32000-1, 9.10.3).
fn to_unicode(shown: &[(char, i32)]) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    // At most 100 entries a block.
    for (block, chunk) in shown.chunks(100).enumerate() {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (i, (c, _)) in chunk.iter().enumerate() {
            let code = block * 100 + i + 1;
            let _ = write!(cmap, "<{code:04X}> <");
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(cmap, "{unit:04X}");
            }
            cmap.push_str(">\n");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_are_numbered_as_first_shown_and_mapped_back_to_text() {
        let mut fonts = Fonts::default();
        let mut out = Vec::new();
        fonts.encode(FaceKind::Regular, "Aé", &mut out);
        fonts.encode(FaceKind::Regular, "éA𝄞", &mut out);
        fonts.encode(FaceKind::Bold, "é", &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<00010002><000200010000><0001>",
            "𝄞 is not in the face: .notdef"
        );
        let regular = &fonts.faces[&FaceKind::Regular];
        let cmap = to_unicode(&regular.shown);
        assert!(cmap.contains("2 beginbfchar\n<0001> <0041>\n<0002> <00E9>\n"));
        assert!(regular.shown.iter().all(|(_, width)| *width > 300));
    }

    #[test]
    fn text_beyond_the_basic_plane_maps_back_as_a_surrogate_pair() {
        let cmap = to_unicode(&[('𝄞', 500)]);
        assert!(cmap.contains("<0001> <D834DD1E>"), "{cmap}");
    }

    #[test]
    fn a_hundred_glyphs_make_one_block() {
        let shown: Vec<(char, i32)> = ('a'..='z')
            .chain('A'..='Z')
            .chain('À'..='ÿ')
            .take(101)
            .map(|c| (c, 500))
            .collect();
        let cmap = to_unicode(&shown);
        assert!(cmap.contains("100 beginbfchar\n<0001>"));
        assert!(cmap.contains("1 beginbfchar\n<0065>"));
    }
}
