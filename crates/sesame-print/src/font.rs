//! The embedded typefaces (DejaVu Sans and DejaVu Serif, regular and bold):
//! measuring text, and subsetting it to the glyphs a document uses.
//!
//! The PDF writer (`pdf::fonts`) numbers the glyphs a document shows as it meets
//! them and embeds the face cut down to those (`subsetter`).

use std::sync::OnceLock;

use crate::error::PrintError;
use crate::template::FontFamily;

static REGULAR_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");
static SERIF_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif.ttf");
static SERIF_BOLD_TTF: &[u8] = include_bytes!("../assets/fonts/DejaVuSerif-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum FaceKind {
    Regular,
    Bold,
    SerifRegular,
    SerifBold,
}

impl FaceKind {
    #[cfg(test)]
    pub(crate) const ALL: [FaceKind; 4] = [
        FaceKind::Regular,
        FaceKind::Bold,
        FaceKind::SerifRegular,
        FaceKind::SerifBold,
    ];

    /// The face of a template's text: its family, bold or not.
    pub(crate) fn of(family: FontFamily, bold: bool) -> FaceKind {
        match (family, bold) {
            (FontFamily::Sans, false) => FaceKind::Regular,
            (FontFamily::Sans, true) => FaceKind::Bold,
            (FontFamily::Serif, false) => FaceKind::SerifRegular,
            (FontFamily::Serif, true) => FaceKind::SerifBold,
        }
    }

    fn bytes(self) -> &'static [u8] {
        match self {
            FaceKind::Regular => REGULAR_TTF,
            FaceKind::Bold => BOLD_TTF,
            FaceKind::SerifRegular => SERIF_TTF,
            FaceKind::SerifBold => SERIF_BOLD_TTF,
        }
    }

    fn postscript_name(self) -> &'static str {
        match self {
            FaceKind::Regular => "DejaVuSans",
            FaceKind::Bold => "DejaVuSans-Bold",
            FaceKind::SerifRegular => "DejaVuSerif",
            FaceKind::SerifBold => "DejaVuSerif-Bold",
        }
    }

    pub(crate) fn metrics(self) -> &'static FaceMetrics {
        static REGULAR: OnceLock<FaceMetrics> = OnceLock::new();
        static BOLD: OnceLock<FaceMetrics> = OnceLock::new();
        static SERIF: OnceLock<FaceMetrics> = OnceLock::new();
        static SERIF_BOLD: OnceLock<FaceMetrics> = OnceLock::new();
        let cell = match self {
            FaceKind::Regular => &REGULAR,
            FaceKind::Bold => &BOLD,
            FaceKind::SerifRegular => &SERIF,
            FaceKind::SerifBold => &SERIF_BOLD,
        };
        cell.get_or_init(|| FaceMetrics::parse(self.bytes()))
    }
}

/// Characters below this have their glyph and advance in a table: every Latin
/// script, Vietnamese included (U+1E00–U+1EFF), and the usual punctuation.
const TABLE_CHARS: usize = 0x2100;

/// Advances and vertical metrics of one face, in em units.
pub(crate) struct FaceMetrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// `(glyph id, advance in font units)` per character below [`TABLE_CHARS`]:
    /// measuring is most of the layout time, and cmap lookups are slow.
    table: Vec<(u16, u16)>,
    /// Distance from the baseline to the top of the tallest accented capitals.
    pub ascent: f32,
    /// Distance below the baseline (positive).
    pub descent: f32,
}

impl FaceMetrics {
    fn parse(bytes: &'static [u8]) -> Self {
        // The fonts are compiled in; a parse failure is a build defect, caught by tests.
        let face = ttf_parser::Face::parse(bytes, 0).expect("embedded DejaVu font parses");
        let units_per_em = f32::from(face.units_per_em());
        let ascent = f32::from(face.ascender()) / units_per_em;
        let descent = -f32::from(face.descender()) / units_per_em;
        let table = (0..TABLE_CHARS as u32)
            .map(|code| {
                let gid = char::from_u32(code)
                    .and_then(|c| face.glyph_index(c))
                    .unwrap_or(ttf_parser::GlyphId(0));
                (gid.0, face.glyph_hor_advance(gid).unwrap_or(0))
            })
            .collect();
        Self {
            face,
            units_per_em,
            table,
            ascent,
            descent,
        }
    }

    fn lookup(&self, c: char) -> (u16, u16) {
        match self.table.get(c as usize) {
            Some(entry) => *entry,
            None => {
                let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                (gid.0, self.face.glyph_hor_advance(gid).unwrap_or(0))
            }
        }
    }

    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        Some(self.lookup(c).0).filter(|g| *g != 0)
    }

    /// The first character of `text` the face cannot draw.
    pub(crate) fn first_missing(&self, text: &str) -> Option<char> {
        text.chars().find(|c| self.glyph(*c).is_none())
    }

    /// Width of `text` at `size` (same unit as `size`), without kerning — the PDF
    /// is written without kerning too, so measure and print agree.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.lookup(c).1)).sum();
        units as f32 / self.units_per_em * size
    }
}

/// What a PDF font descriptor states about a face, in thousandths of an em.
pub(crate) struct FaceDescriptor {
    pub bbox: [i32; 4],
    pub ascent: i32,
    pub descent: i32,
    pub cap_height: i32,
    pub italic_angle: f32,
    pub serif: bool,
}

impl FaceKind {
    pub(crate) fn descriptor(self) -> FaceDescriptor {
        let metrics = self.metrics();
        let face = &metrics.face;
        let em = |units: i16| metrics.per_mille(f32::from(units));
        let bbox = face.global_bounding_box();
        FaceDescriptor {
            bbox: [
                em(bbox.x_min),
                em(bbox.y_min),
                em(bbox.x_max),
                em(bbox.y_max),
            ],
            ascent: em(face.ascender()),
            descent: em(face.descender()),
            cap_height: em(face.capital_height().unwrap_or(face.ascender())),
            italic_angle: face.italic_angle(),
            serif: matches!(self, FaceKind::SerifRegular | FaceKind::SerifBold),
        }
    }
}

impl FaceMetrics {
    fn per_mille(&self, units: f32) -> i32 {
        (units * 1000.0 / self.units_per_em).round() as i32
    }

    /// The glyph that draws `c` (0, `.notdef`, when the face has none) and its
    /// advance in thousandths of an em, as a PDF font's `/W` states it.
    pub(crate) fn glyph_and_width(&self, c: char) -> (u16, i32) {
        let (gid, advance) = self.lookup(c);
        (gid, self.per_mille(f32::from(advance)))
    }
}

/// The face cut down to the glyphs `glyphs` has renumbered (a PDF CID font's
/// program: its CIDs are the new glyph ids). The subset has no `cmap`: a PDF CID
/// font does not need one, the content names glyphs and `/ToUnicode` maps them back.
pub(crate) fn subset_bytes(
    kind: FaceKind,
    glyphs: &subsetter::GlyphRemapper,
) -> Result<Vec<u8>, PrintError> {
    subsetter::subset(kind.bytes(), 0, glyphs).map_err(|e| PrintError::FontSubset {
        font: kind.postscript_name().to_string(),
        message: e.to_string(),
    })
}

/// The `ABCDEF+` tag that marks a subset (ISO 32000-1, 9.6.4), derived from the
/// characters of its glyphs in their order (which fixes the glyphs' numbers): the
/// same text gives the same PDF, and a tag names one subset only.
pub(crate) fn subset_name(kind: FaceKind, glyph_chars: impl IntoIterator<Item = char>) -> String {
    // FNV-1a over the characters, spelled as six capital letters.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ kind as u64;
    for c in glyph_chars {
        for b in (c as u32).to_le_bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    let tag: String = (0..6)
        .map(|i| (b'A' + ((hash >> (i * 8)) % 26) as u8) as char)
        .collect();
    format!("{tag}+{}", kind.postscript_name())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn covers_latin_names_including_vietnamese() {
        for name in [
            "Ægir Þórsson",
            "Łukasz Żółć",
            "Nguyễn Thị Minh Khai",
            "Éloïse Œuvray-Lefèvre",
            "ĐẶNG Ỷ Ước",
        ] {
            for kind in FaceKind::ALL {
                assert_eq!(kind.metrics().first_missing(name), None, "{name}");
            }
        }
        assert_eq!(FaceKind::Regular.metrics().first_missing("李"), Some('李'));
    }

    #[test]
    fn bold_is_wider_than_regular() {
        let text = "Œuvray-Lefèvre";
        let regular = FaceKind::Regular.metrics().width(text, 10.0);
        let bold = FaceKind::Bold.metrics().width(text, 10.0);
        assert!(regular > 50.0 && bold > regular, "{regular} {bold}");
    }

    #[test]
    fn subset_keeps_only_the_glyphs_asked_for() {
        let mut glyphs = subsetter::GlyphRemapper::new();
        let chars: BTreeSet<char> = "Nguyễn Żółć".chars().collect();
        let metrics = FaceKind::Regular.metrics();
        for c in &chars {
            glyphs.remap(metrics.glyph_and_width(*c).0);
        }
        let bytes = subset_bytes(FaceKind::Regular, &glyphs).unwrap();
        assert!(bytes.len() < 20_000, "{}", bytes.len());
        let subset = ttf_parser::Face::parse(&bytes, 0).unwrap();
        // .notdef, the characters' glyphs, and the parts of composite accented ones.
        let count = usize::from(subset.number_of_glyphs());
        assert!((chars.len() + 1..40).contains(&count), "{count}");
        let name = subset_name(FaceKind::Regular, chars.iter().copied());
        assert!(
            name.ends_with("+DejaVuSans") && name.len() == 6 + 11,
            "{name}"
        );
        assert_eq!(name, subset_name(FaceKind::Regular, chars.iter().copied()));
        // The same characters numbered in another order: another subset, another tag.
        assert_ne!(
            name,
            subset_name(FaceKind::Regular, chars.iter().rev().copied())
        );
    }
}
