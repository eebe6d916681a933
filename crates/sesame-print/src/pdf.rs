//! Turns the display list into a PDF with printpdf, then puts the photos in.
//!
//! Photos are registered with printpdf as empty `/DCTDecode` image XObjects; once
//! printpdf has built the object tree (`to_lopdf_doc`), the tree is written out
//! with each photo's original JPEG bytes in its stream (`pdf_file`). The JPEG is thus
//! embedded untouched, and not copied here: neither through printpdf's resources
//! nor into the tree.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use printpdf::{
    CurTransMat, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Mm, Op,
    PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing,
    Pt, Rect, TextItem, WindingOrder, XObjectId, XObjectTransform,
};

use crate::draw::{ImageRef, Item, PageDraw, RectPt, Resources};
use crate::error::PrintError;
use crate::font::{subset_face, FaceKind};
use crate::jpeg::{JpegColour, JpegInfo};
use crate::pdf_file::{write_document, StreamBytes};
use crate::template::{Colour, ImageAsset};

/// Bézier handle length for a quarter circle.
const KAPPA: f32 = 0.552_284_8;

pub(crate) fn write_pdf<W: Write>(
    title: &str,
    pages: Vec<PageDraw>,
    resources: &Resources,
    out: &mut W,
) -> Result<(), PrintError> {
    let mut doc = PdfDocument::new(title);

    let mut chars: BTreeMap<FaceKind, BTreeSet<char>> = BTreeMap::new();
    for page in &pages {
        collect_chars(&page.items, &mut chars);
    }
    let mut fonts: BTreeMap<FaceKind, FontId> = BTreeMap::new();
    for (face, used) in &chars {
        fonts.insert(*face, doc.add_font(&subset_face(*face, used)?));
    }

    let photo_ids: Vec<XObjectId> = resources
        .photos
        .iter()
        .map(|(_, info)| doc.add_xobject(&jpeg_xobject(*info, Vec::new())))
        .collect();
    let mut asset_ids: BTreeMap<(usize, usize), XObjectId> = BTreeMap::new();
    for (t, template) in resources.templates.iter().enumerate() {
        for (i, asset) in template.images.iter().enumerate() {
            asset_ids.insert((t, i), doc.add_xobject(&asset_xobject(asset)));
        }
    }

    let pdf_pages: Vec<PdfPage> = pages
        .into_iter()
        .map(|page| {
            let mut ops = Vec::with_capacity(page.items.len() * 4);
            for item in page.items {
                item_ops(item, &fonts, &photo_ids, &asset_ids, &mut ops);
            }
            PdfPage::new(Mm(page.width_mm as f32), Mm(page.height_mm as f32), ops)
        })
        .collect();
    doc.with_pages(pdf_pages);

    let opts = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut lopdf_doc = printpdf::serialize::to_lopdf_doc(&doc, &opts, &mut warnings);
    // printpdf writes 1.3; logos with transparency use /SMask, which is PDF 1.4.
    lopdf_doc.version = "1.4".to_string();
    let photo_names: Vec<String> = photo_ids.iter().map(|id| id.0.clone()).collect();
    drop(doc);

    compress_streams(&mut lopdf_doc)?;
    let photos = photo_streams(&lopdf_doc, &photo_names, resources)?;
    write_document(&lopdf_doc, &photos, out)?;
    Ok(())
}

fn collect_chars(items: &[Item], chars: &mut BTreeMap<FaceKind, BTreeSet<char>>) {
    for item in items {
        match item {
            Item::Text { face, text, .. } => chars.entry(*face).or_default().extend(text.chars()),
            Item::Group { items, .. } => collect_chars(items, chars),
            _ => {}
        }
    }
}

fn jpeg_xobject(info: JpegInfo, content: Vec<u8>) -> ExternalXObject {
    let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
    let mut dict = BTreeMap::from([
        ("Type".to_string(), name("XObject")),
        ("Subtype".to_string(), name("Image")),
        ("Width".to_string(), DictItem::Int(i64::from(info.width))),
        ("Height".to_string(), DictItem::Int(i64::from(info.height))),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
        ("Filter".to_string(), name("DCTDecode")),
    ]);
    let colour_space = match info.colour {
        JpegColour::Grey => "DeviceGray",
        JpegColour::Rgb => "DeviceRGB",
        JpegColour::Cmyk { inverted } => {
            if inverted {
                let decode = [1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec();
                dict.insert("Decode".to_string(), DictItem::Array(decode));
            }
            "DeviceCMYK"
        }
    };
    dict.insert("ColorSpace".to_string(), name(colour_space));
    ExternalXObject {
        stream: ExternalStream {
            dict,
            content,
            // Already compressed; Flate over JPEG only costs time.
            compress: false,
        },
        width: None,
        height: None,
        dpi: None,
    }
}

fn asset_xobject(asset: &ImageAsset) -> ExternalXObject {
    match asset {
        ImageAsset::Jpeg { bytes, info } => jpeg_xobject(*info, bytes.to_vec()),
        ImageAsset::Pixels {
            width,
            height,
            rgb,
            alpha,
        } => {
            let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
            let image_dict = |colour_space: &str| {
                BTreeMap::from([
                    ("Type".to_string(), name("XObject")),
                    ("Subtype".to_string(), name("Image")),
                    ("Width".to_string(), DictItem::Int(i64::from(*width))),
                    ("Height".to_string(), DictItem::Int(i64::from(*height))),
                    ("BitsPerComponent".to_string(), DictItem::Int(8)),
                    ("ColorSpace".to_string(), name(colour_space)),
                ])
            };
            let mut dict = image_dict("DeviceRGB");
            if let Some(alpha) = alpha {
                dict.insert(
                    "SMask".to_string(),
                    DictItem::Stream {
                        stream: ExternalStream {
                            dict: image_dict("DeviceGray"),
                            content: alpha.clone(),
                            compress: true,
                        },
                    },
                );
            }
            ExternalXObject {
                stream: ExternalStream {
                    dict,
                    content: rgb.clone(),
                    compress: true,
                },
                width: None,
                height: None,
                dpi: None,
            }
        }
    }
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn handle(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: true,
    }
}

fn rect_ring([x, y, w, h]: RectPt) -> PolygonRing {
    PolygonRing {
        points: vec![
            point(x, y),
            point(x + w, y),
            point(x + w, y + h),
            point(x, y + h),
        ],
    }
}

fn rounded_ring([x, y, w, h]: RectPt, r: f32) -> PolygonRing {
    let r = r.min(w / 2.0).min(h / 2.0);
    let k = r * KAPPA;
    let (x1, y1) = (x + w, y + h);
    PolygonRing {
        points: vec![
            point(x + r, y),
            point(x1 - r, y),
            handle(x1 - r + k, y),
            handle(x1, y + r - k),
            point(x1, y + r),
            point(x1, y1 - r),
            handle(x1, y1 - r + k),
            handle(x1 - r + k, y1),
            point(x1 - r, y1),
            point(x + r, y1),
            handle(x + r - k, y1),
            handle(x, y1 - r + k),
            point(x, y1 - r),
            point(x, y + r),
            handle(x, y + r - k),
            handle(x + r - k, y),
            point(x + r, y),
        ],
    }
}

fn polygon(rings: Vec<PolygonRing>, mode: PaintMode) -> Op {
    Op::DrawPolygon {
        polygon: Polygon {
            rings,
            mode,
            winding_order: WindingOrder::NonZero,
        },
    }
}

fn item_ops(
    item: Item,
    fonts: &BTreeMap<FaceKind, FontId>,
    photos: &[XObjectId],
    assets: &BTreeMap<(usize, usize), XObjectId>,
    ops: &mut Vec<Op>,
) {
    let fill = |colour: Colour| Op::SetFillColor {
        col: colour.to_pdf(),
    };
    match item {
        Item::FillRects { rects, colour } => {
            ops.push(fill(colour));
            ops.push(polygon(
                rects.into_iter().map(rect_ring).collect(),
                PaintMode::Fill,
            ));
        }
        Item::Group { matrix, items } => {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw(matrix),
            });
            for item in items {
                item_ops(item, fonts, photos, assets, ops);
            }
            ops.push(Op::RestoreGraphicsState);
        }
        Item::FillModules { grid, colour } => {
            ops.push(Op::SaveGraphicsState);
            ops.push(Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw([
                    grid.module[0],
                    0.0,
                    0.0,
                    grid.module[1],
                    grid.origin[0],
                    grid.origin[1],
                ]),
            });
            ops.push(fill(colour));
            for [x, y, w, h] in grid.rects {
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(f32::from(x)),
                        y: Pt(f32::from(y)),
                        width: Pt(f32::from(w)),
                        height: Pt(f32::from(h)),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            ops.push(Op::RestoreGraphicsState);
        }
        Item::FillRoundedRect {
            rect,
            radius,
            colour,
        } => {
            ops.push(fill(colour));
            ops.push(polygon(vec![rounded_ring(rect, radius)], PaintMode::Fill));
        }
        Item::StrokeLines {
            lines,
            width,
            colour,
        } => {
            ops.push(Op::SetOutlineColor {
                col: colour.to_pdf(),
            });
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
            for [x1, y1, x2, y2] in lines {
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(x1, y1), point(x2, y2)],
                        is_closed: false,
                    },
                });
            }
        }
        Item::Text {
            face,
            size,
            x,
            baseline,
            hscale,
            colour,
            text,
        } => {
            let Some(font) = fonts.get(&face) else { return };
            ops.push(Op::StartTextSection);
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(font.clone()),
                size: Pt(size),
            });
            ops.push(fill(colour));
            ops.push(Op::SetTextCursor {
                pos: Point {
                    x: Pt(x),
                    y: Pt(baseline),
                },
            });
            let condensed = hscale < 0.999;
            if condensed {
                ops.push(Op::SetHorizontalScaling {
                    percent: hscale * 100.0,
                });
            }
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text)],
            });
            if condensed {
                // Horizontal scaling is graphics state and outlives ET.
                ops.push(Op::SetHorizontalScaling { percent: 100.0 });
            }
            ops.push(Op::EndTextSection);
        }
        Item::Image { image, rect, clip } => {
            let id = match image {
                ImageRef::Photo(i) => photos.get(i),
                ImageRef::Asset { template, index } => assets.get(&(template, index)),
            };
            let Some(id) = id else { return };
            ops.push(Op::SaveGraphicsState);
            if let Some((clip_rect, radius)) = clip {
                let ring = if radius > 0.0 {
                    rounded_ring(clip_rect, radius)
                } else {
                    rect_ring(clip_rect)
                };
                ops.push(polygon(vec![ring], PaintMode::Clip));
            }
            let [x, y, w, h] = rect;
            ops.push(Op::SetTransformationMatrix {
                matrix: CurTransMat::Raw([w, 0.0, 0.0, h, x, y]),
            });
            ops.push(Op::UseXobject {
                id: id.clone(),
                transform: XObjectTransform {
                    no_auto_scale: true,
                    ..Default::default()
                },
            });
            ops.push(Op::RestoreGraphicsState);
        }
    }
}

/// Flate-compresses content, font and logo streams (not the JPEGs, still empty here).
fn compress_streams(doc: &mut lopdf::Document) -> Result<(), PrintError> {
    use flate2::{write::ZlibEncoder, Compression};
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression
            || stream.dict.get(b"Filter").is_ok()
            || stream.content.len() < 64
        {
            continue;
        }
        let mut encoder = ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 3),
            Compression::default(),
        );
        encoder.write_all(&stream.content)?;
        let compressed = encoder.finish()?;
        if compressed.len() < stream.content.len() {
            stream
                .dict
                .set("Filter", lopdf::Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
    Ok(())
}

/// Each photo's JPEG bytes by the object of the stream printpdf wrote for it (empty).
fn photo_streams<'a>(
    doc: &lopdf::Document,
    names: &[String],
    resources: &'a Resources,
) -> Result<StreamBytes<'a>, PrintError> {
    let mut streams = StreamBytes::with_capacity(names.len());
    if names.is_empty() {
        return Ok(streams);
    }
    let missing = || std::io::Error::other("printpdf wrote no XObject dictionary for the photos");
    let first_page = *doc.get_pages().values().next().ok_or_else(missing)?;
    let xobjects_ref = doc
        .get_dictionary(first_page)
        .and_then(|page| page.get(b"Resources"))
        .and_then(|r| doc.dereference(r))
        .and_then(|(_, r)| r.as_dict())
        .and_then(|r| r.get(b"XObject"))
        .and_then(|x| x.as_reference())
        .map_err(|_| missing())?;
    let xobjects = doc.get_dictionary(xobjects_ref).map_err(|_| missing())?;
    for (i, name) in names.iter().enumerate() {
        let id = xobjects
            .get(name.as_bytes())
            .and_then(|o| o.as_reference())
            .map_err(|_| missing())?;
        doc.get_object(id)
            .and_then(|o| o.as_stream())
            .map_err(|_| missing())?;
        streams.insert(id, &resources.photos[i].0);
    }
    Ok(streams)
}
