//! Writes the display list as a PDF file, one page at a time.
//!
//! Each page goes to the output as soon as it is drawn: its content stream, then
//! the images it is the first to show (photos as their original JPEG bytes), then
//! the page object. What the document needs at the end stays in memory (each
//! object's offset, the glyphs each face has shown), so memory does not grow with
//! the pages' drawing. The fonts, the shared resources, the page tree, the catalog
//! and the cross-reference table follow the last page.

mod content;
mod file;
mod fonts;
mod images;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write;

use crate::draw::{ImageRef, PageDraw, Resources, PT_PER_MM};
use crate::error::PrintError;
use file::{deflate, name, text_string, ObjectId, PdfFile};
use fonts::Fonts;

pub(crate) struct PdfWriter<W: Write> {
    file: PdfFile<W>,
    fonts: Fonts,
    title: String,
    catalog: ObjectId,
    info: ObjectId,
    page_tree: ObjectId,
    resources: ObjectId,
    pages: Vec<ObjectId>,
    /// Each image written, by what shows it.
    images: BTreeMap<ImageRef, ObjectId>,
}

impl<W: Write> PdfWriter<W> {
    /// A PDF to write into `out`; nothing is written before the first page.
    pub fn start(title: &str, out: W) -> Result<Self, PrintError> {
        let mut file = PdfFile::start(out);
        Ok(Self {
            catalog: file.reserve(),
            info: file.reserve(),
            page_tree: file.reserve(),
            resources: file.reserve(),
            file,
            fonts: Fonts::default(),
            title: title.to_string(),
            pages: Vec::new(),
            images: BTreeMap::new(),
        })
    }

    /// Writes one page. `resources` holds the photos and template images its items
    /// refer to.
    pub fn page(&mut self, page: &PageDraw, resources: &Resources) -> Result<(), PrintError> {
        let mut shown = Vec::new();
        let mut content = Vec::with_capacity(16 * 1024);
        content::write_items(&page.items, &mut self.fonts, &mut shown, &mut content);
        let content_id = self.file.reserve();
        self.file
            .stream(content_id, " /Filter /FlateDecode", &deflate(&content)?)?;
        drop(content);

        for image in shown {
            if self.images.contains_key(&image) {
                continue;
            }
            let id = match image {
                ImageRef::Photo(i) => {
                    let (bytes, info) = &resources.photos[i];
                    images::write_jpeg(&mut self.file, *info, bytes)?
                }
                ImageRef::Asset { template, index } => {
                    let asset = &resources.templates[template].images[index];
                    images::write_asset(&mut self.file, asset)?
                }
            };
            self.images.insert(image, id);
        }

        let page_id = self.file.reserve();
        let mut media_box = Vec::new();
        for value in [page.width_mm, page.height_mm] {
            file::push_num(&mut media_box, (value * PT_PER_MM) as f32);
            media_box.push(b' ');
        }
        let media_box = String::from_utf8_lossy(&media_box);
        self.file.object(
            page_id,
            &format!(
                "<</Type /Page /Parent {} 0 R /MediaBox [0 0 {}] /Resources {} 0 R /Contents {content_id} 0 R>>",
                self.page_tree,
                media_box.trim_end(),
                self.resources,
            ),
        )?;
        self.pages.push(page_id);
        Ok(())
    }

    /// Writes what follows the last page; returns the file's size in bytes and the
    /// output.
    pub fn finish(mut self) -> Result<(u64, W), PrintError> {
        let fonts = std::mem::take(&mut self.fonts).write(&mut self.file)?;

        // One resource dictionary for every page: each image once, whichever page
        // shows it (a back shows the photo its front did).
        let mut resources = String::from("<</ProcSet [/PDF /Text /ImageB /ImageC] /Font <<");
        for (font, id) in &fonts {
            let _ = write!(resources, "{} {id} 0 R ", name(font));
        }
        resources.push_str(">> /XObject <<");
        for (image, id) in &self.images {
            let _ = write!(
                resources,
                "{} {id} 0 R ",
                name(&content::image_name(*image))
            );
        }
        resources.push_str(">>>>");
        self.file.object(self.resources, &resources)?;

        let mut kids = String::with_capacity(self.pages.len() * 10);
        for id in &self.pages {
            let _ = write!(kids, "{id} 0 R ");
        }
        self.file.object(
            self.page_tree,
            &format!(
                "<</Type /Pages /Kids [{}] /Count {}>>",
                kids.trim_end(),
                self.pages.len()
            ),
        )?;
        self.file.object(
            self.catalog,
            &format!("<</Type /Catalog /Pages {} 0 R>>", self.page_tree),
        )?;
        self.file.object(
            self.info,
            &format!(
                "<</Title {} /Producer {}>>",
                text_string(&self.title),
                text_string("Sésame")
            ),
        )?;
        Ok(self.file.finish(self.catalog, self.info)?)
    }
}

/// Writes pages already drawn (short documents: dispatch lists, calibration).
pub(crate) fn write_pdf<W: Write>(
    title: &str,
    pages: Vec<PageDraw>,
    resources: &Resources,
    out: &mut W,
) -> Result<(), PrintError> {
    let mut writer = PdfWriter::start(title, out)?;
    for page in &pages {
        writer.page(page, resources)?;
    }
    writer.finish()?;
    Ok(())
}
