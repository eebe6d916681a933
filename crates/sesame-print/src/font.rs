//! The embedded typefaces (DejaVu Sans and DejaVu Serif, regular and bold):
//! measuring text, and subsetting it to the glyphs a document uses.
//!
//! printpdf only subsets behind its heavy `text_layout` feature, so the subset is
//! made here with `subsetter`. The subset font has no `cmap` (PDF CID fonts do not
//! need one); printpdf is handed a face whose character map points at the subset's
//! renumbered glyphs, and it writes `/W` from the subset's `hmtx` and the
//! `/ToUnicode` map from the characters shown, so text stays extractable.

use std::collections::{BTreeMap, BTreeSet};
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

/// Builds the subset face printpdf embeds for the characters in `chars`.
pub(crate) fn subset_face(
    kind: FaceKind,
    chars: &BTreeSet<char>,
) -> Result<printpdf::ParsedFont, PrintError> {
    let metrics = kind.metrics();
    let subset_error = |message: String| PrintError::FontSubset {
        font: kind.postscript_name().to_string(),
        message,
    };
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut char_to_old = BTreeMap::new();
    for c in chars {
        if let Some(gid) = metrics.glyph(*c) {
            remapper.remap(gid);
            char_to_old.insert(*c, gid);
        }
    }
    let bytes =
        subsetter::subset(kind.bytes(), 0, &remapper).map_err(|e| subset_error(e.to_string()))?;
    let mut warnings = Vec::new();
    let mut parsed = printpdf::ParsedFont::from_bytes(&bytes, 0, &mut warnings)
        .ok_or_else(|| subset_error("printpdf cannot parse the subset font".into()))?;
    // The subset has no cmap by design: map characters to the renumbered glyphs here.
    parsed.codepoint_to_glyph.clear();
    for (c, old) in char_to_old {
        let new = remapper
            .get(old)
            .ok_or_else(|| subset_error(format!("glyph {old} lost while subsetting")))?;
        parsed.codepoint_to_glyph.insert(c as u32, new);
    }
    // The `ABCDEF+` tag marks a subset (ISO 32000-1, 9.6.4); derived from the glyph set
    // so the same text gives the same PDF.
    parsed.font_name = Some(format!(
        "{}+{}",
        subset_tag(chars, kind),
        kind.postscript_name()
    ));
    Ok(parsed)
}

fn subset_tag(chars: &BTreeSet<char>, kind: FaceKind) -> String {
    // FNV-1a over the characters, spelled as six capital letters.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ kind as u64;
    for c in chars {
        for b in (*c as u32).to_le_bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|i| (b'A' + ((hash >> (i * 8)) % 26) as u8) as char)
        .collect()
}

#[cfg(test)]
mod tests {
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
    fn subset_maps_each_character_to_a_renumbered_glyph() {
        let chars: BTreeSet<char> = "Nguyễn Żółć".chars().collect();
        let font = subset_face(FaceKind::Regular, &chars).unwrap();
        assert!(
            font.original_bytes.len() < 20_000,
            "{}",
            font.original_bytes.len()
        );
        let gids: BTreeSet<u16> = chars
            .iter()
            .map(|c| font.lookup_glyph_index(*c as u32).unwrap())
            .collect();
        assert_eq!(gids.len(), chars.len());
        assert!(gids.iter().all(|g| (1..=chars.len() as u16).contains(g)));
        let name = font.font_name.unwrap();
        assert!(
            name.ends_with("+DejaVuSans") && name.len() == 6 + 11,
            "{name}"
        );
    }
}
