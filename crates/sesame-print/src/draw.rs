//! The display list: what each page shows, in PDF points from the page's
//! bottom-left corner, before it becomes PDF content (`pdf::content`).

use std::sync::Arc;

use crate::font::FaceKind;
use crate::jpeg::JpegInfo;
use crate::template::{Colour, Frame, Template};

pub(crate) const PT_PER_MM: f64 = 72.0 / 25.4;

/// `[x, y, width, height]` in points, y up.
pub(crate) type RectPt = [f32; 4];

#[derive(Debug, Clone)]
pub(crate) enum Item {
    FillRects {
        rects: Vec<RectPt>,
        colour: Colour,
    },
    /// QR codes and barcodes: whole-module rectangles on a grid, written in
    /// module units under one transform (small integers compress well).
    FillModules {
        grid: ModuleGrid,
        colour: Colour,
    },
    FillRoundedRect {
        rect: RectPt,
        radius: f32,
        colour: Colour,
    },
    /// Hairlines such as crop marks: `[x1, y1, x2, y2]`.
    StrokeLines {
        lines: Vec<[f32; 4]>,
        width: f32,
        colour: Colour,
    },
    Text {
        face: FaceKind,
        size: f32,
        x: f32,
        baseline: f32,
        /// Horizontal scaling, 1.0 = none.
        hscale: f32,
        colour: Colour,
        text: String,
    },
    /// Items drawn in their own coordinates, mapped onto the page by `matrix`
    /// (a PDF `cm`: translation, and rotation for portrait cards).
    Group {
        matrix: [f32; 6],
        items: Vec<Item>,
    },
    Image {
        image: ImageRef,
        rect: RectPt,
        /// Clip to this rectangle with this corner radius (photos cropped to fill).
        clip: Option<(RectPt, f32)>,
    },
}

/// `rects` are `[x, y, width, height]` in modules from `origin` (points), each
/// module being `module` points wide and tall.
#[derive(Debug, Clone)]
pub(crate) struct ModuleGrid {
    pub origin: [f32; 2],
    pub module: [f32; 2],
    pub rects: Vec<[u16; 4]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ImageRef {
    Photo(usize),
    Asset { template: usize, index: usize },
}

#[derive(Debug, Clone)]
pub(crate) struct PageDraw {
    pub width_mm: f64,
    pub height_mm: f64,
    pub items: Vec<Item>,
}

/// Maps a badge side's millimetres (from its top-left corner) onto the side's own
/// frame in points (from its bottom-left corner, PDF's way), at `scale`. Every side
/// is drawn in such a frame, which its page then places by a matrix (`badges.rs`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Placement {
    pub scale: f64,
    /// The side's height once scaled, mm (the template's height times `scale`).
    pub frame_height_mm: f64,
}

impl Placement {
    pub fn rect(&self, f: &Frame) -> RectPt {
        let x = f.x * self.scale;
        let bottom = self.frame_height_mm - (f.y + f.height) * self.scale;
        [
            (x * PT_PER_MM) as f32,
            (bottom * PT_PER_MM) as f32,
            (f.width * self.scale * PT_PER_MM) as f32,
            (f.height * self.scale * PT_PER_MM) as f32,
        ]
    }

    pub fn length_pt(&self, mm: f64) -> f32 {
        (mm * self.scale * PT_PER_MM) as f32
    }

    /// Scales a font size given in points on the template.
    pub fn font_pt(&self, pt: f64) -> f32 {
        (pt * self.scale) as f32
    }
}

/// Everything one PDF needs besides its pages: the photos and template images.
#[derive(Default)]
pub(crate) struct Resources {
    pub photos: Vec<(Arc<[u8]>, JpegInfo)>,
    photo_index: std::collections::HashMap<(usize, usize), usize>,
    pub templates: Vec<Arc<Template>>,
}

impl Resources {
    /// Registers a photo once, however many sides show it.
    pub fn photo(&mut self, bytes: &Arc<[u8]>, info: JpegInfo) -> usize {
        let key = (bytes.as_ptr() as usize, bytes.len());
        if let Some(i) = self.photo_index.get(&key) {
            return *i;
        }
        self.photos.push((bytes.clone(), info));
        self.photo_index.insert(key, self.photos.len() - 1);
        self.photos.len() - 1
    }

    /// Lets go of the photo of a card no page still to write shows, unless another
    /// card holds the same bytes (cards sharing a photo share its image). Only then
    /// are they freed, with the card: the address that keys them is then free for a
    /// new photo, so the key goes too. (A caller that keeps its own cards, as
    /// `write_pdf`'s does, keeps their photos: nothing is freed here then.)
    pub fn forget_photo(&mut self, bytes: &Arc<[u8]>) {
        // Held by this card and by `photos` only.
        if Arc::strong_count(bytes) > 2 {
            return;
        }
        let key = (bytes.as_ptr() as usize, bytes.len());
        if let Some(i) = self.photo_index.remove(&key) {
            self.photos[i].0 = Arc::from(&[][..]);
        }
    }

    pub fn template(&mut self, template: &Arc<Template>) -> usize {
        if let Some(i) = self.templates.iter().position(|t| Arc::ptr_eq(t, template)) {
            return i;
        }
        self.templates.push(template.clone());
        self.templates.len() - 1
    }
}
