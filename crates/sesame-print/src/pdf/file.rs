//! The file around the objects: the header, each object numbered as it is written,
//! the cross-reference table and the trailer. Objects go to the output as soon as
//! they are made; only their offsets stay in memory.

use std::fmt::Write as _;
use std::io::{self, Write};

use flate2::{write::ZlibEncoder, Compression};

/// An object's number (the generation is always 0: a file is written once).
pub(crate) type ObjectId = u32;

pub(crate) struct PdfFile<W: Write> {
    out: W,
    at: u64,
    /// Where each object starts, by number − 1; `None` while only reserved.
    offsets: Vec<Option<u64>>,
}

impl<W: Write> PdfFile<W> {
    /// A file to write into `out`; nothing is written before its first object.
    pub fn start(out: W) -> Self {
        Self {
            out,
            at: 0,
            offsets: Vec::new(),
        }
    }

    /// A number for an object written later (one that others refer to first).
    pub fn reserve(&mut self) -> ObjectId {
        self.offsets.push(None);
        self.offsets.len() as ObjectId
    }

    /// Writes a dictionary, array or other direct object as object `id`.
    pub fn object(&mut self, id: ObjectId, body: &str) -> io::Result<()> {
        self.begin(id)?;
        self.put(body.as_bytes())?;
        self.put(b"\nendobj\n")
    }

    /// Writes a stream: `entries` are its dictionary's entries besides `/Length`.
    pub fn stream(&mut self, id: ObjectId, entries: &str, content: &[u8]) -> io::Result<()> {
        self.begin(id)?;
        self.put(format!("<<{entries} /Length {}>>\nstream\n", content.len()).as_bytes())?;
        self.put(content)?;
        self.put(b"\nendstream\nendobj\n")
    }

    /// Writes the cross-reference table and the trailer; returns the file's size and
    /// the output.
    pub fn finish(mut self, root: ObjectId, info: ObjectId) -> io::Result<(u64, W)> {
        self.header()?;
        let xref_at = self.at;
        let mut table = String::with_capacity(20 * (self.offsets.len() + 1) + 64);
        let _ = write!(table, "xref\n0 {}\n", self.offsets.len() + 1);
        table.push_str("0000000000 65535 f \n");
        for offset in &self.offsets {
            match offset {
                Some(at) => {
                    let _ = writeln!(table, "{at:010} 00000 n ");
                }
                // Reserved and never written: a bug, but the file stays readable.
                None => table.push_str("0000000000 65535 f \n"),
            }
        }
        let size = self.offsets.len() + 1;
        let id = file_id(&table, xref_at);
        let _ = write!(
            table,
            "trailer\n<</Size {size} /Root {root} 0 R /Info {info} 0 R /ID [<{id}> <{id}>]>>\n\
             startxref\n{xref_at}\n%%EOF\n"
        );
        self.put(table.as_bytes())?;
        self.out.flush()?;
        Ok((self.at, self.out))
    }

    /// The header, before the first object. PDF 1.4: logos with transparency use
    /// `/SMask`; four bytes over 127 tell transfer tools the file is binary.
    fn header(&mut self) -> io::Result<()> {
        if self.at == 0 {
            self.put(b"%PDF-1.4\n%\xBB\xAD\xC0\xDE\n")?;
        }
        Ok(())
    }

    fn begin(&mut self, id: ObjectId) -> io::Result<()> {
        debug_assert!(id >= 1 && self.offsets[id as usize - 1].is_none());
        self.header()?;
        self.offsets[id as usize - 1] = Some(self.at);
        self.put(format!("{id} 0 obj\n").as_bytes())
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }
}

/// A stream's bytes Flate-compressed (`/FlateDecode`).
pub(crate) fn deflate(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 3 + 64),
        Compression::default(),
    );
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// The file's identifier (the trailer's `/ID`, which PDF 2.0 and PDF/A require):
/// a digest of where every object lies, so the same document always gets the same
/// one and another document almost surely another.
fn file_id(xref: &str, size: u64) -> String {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut first = DefaultHasher::new();
    (xref, size).hash(&mut first);
    let high = first.finish();
    let mut second = DefaultHasher::new();
    (high, xref).hash(&mut second);
    format!("{high:016X}{:016X}", second.finish())
}

/// `/name`, its delimiters, white space and bytes outside `!`..`~` as `#xx`.
pub(crate) fn name(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    out.push('/');
    for &byte in text.as_bytes() {
        if b"()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            let _ = write!(out, "#{byte:02X}");
        } else {
            out.push(byte as char);
        }
    }
    out
}

/// A text string (document information): printable ASCII as a literal, anything
/// else as UTF-16BE with its byte-order mark, which every reader decodes.
pub(crate) fn text_string(text: &str) -> String {
    if text.bytes().all(|b| (32..=126).contains(&b)) {
        let mut out = String::with_capacity(text.len() + 2);
        out.push('(');
        for c in text.chars() {
            if matches!(c, '(' | ')' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push(')');
        return out;
    }
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// A number as PDF writes reals: at most four decimals, no trailing zeros, no
/// exponent (which PDF does not have).
pub(crate) fn push_num(out: &mut Vec<u8>, value: f32) {
    let value = if value.is_finite() {
        f64::from(value)
    } else {
        0.0
    };
    let rounded = (value * 10_000.0).round() / 10_000.0;
    if rounded == rounded.trunc() {
        let _ = write!(out, "{}", rounded as i64);
        return;
    }
    let text = format!("{rounded:.4}");
    out.extend_from_slice(text.trim_end_matches('0').as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::Object;

    fn num(value: f32) -> String {
        let mut out = Vec::new();
        push_num(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exponent_free() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-3.25), "-3.25");
        assert_eq!(num(0.552_284_8), "0.5523");
        assert_eq!(num(1e-7), "0");
        assert_eq!(num(841.889_8), "841.8898");
        assert_eq!(num(3.0e7), "30000000");
        assert_eq!(num(f32::NAN), "0");
    }

    /// What lopdf, an independent reader, makes of a file written here.
    #[test]
    fn lopdf_reads_back_what_is_written() {
        let mut bytes = Vec::new();
        let mut file = PdfFile::start(&mut bytes);
        let catalog = file.reserve();
        let info = file.reserve();
        let photo = file.reserve();
        let unused = file.reserve();
        let jpeg: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        file.stream(photo, " /Type /XObject /Filter /DCTDecode", &jpeg)
            .unwrap();
        let entries = format!(
            "<</Title {} /Subject {} {} (ok)>>",
            text_string("Badges (été) \\ a"),
            text_string("a (b) \\ c"),
            name("Odd name/#"),
        );
        file.object(info, &entries).unwrap();
        file.object(catalog, &format!("<</Type /Catalog /Photo {photo} 0 R>>"))
            .unwrap();
        let (size, _) = file.finish(catalog, info).unwrap();
        assert_eq!(size, bytes.len() as u64);

        let back = lopdf::Document::load_mem(&bytes).expect("a PDF lopdf reads");
        let stream = back
            .get_object((photo, 0))
            .and_then(Object::as_stream)
            .expect("the photo");
        assert_eq!(stream.content, jpeg);
        let info = back.get_dictionary((info, 0)).expect("info");
        let title = info.get(b"Title").and_then(Object::as_str).expect("title");
        let utf16: Vec<u16> = title[2..]
            .chunks(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        assert_eq!(String::from_utf16(&utf16).unwrap(), "Badges (été) \\ a");
        let subject = info.get(b"Subject").and_then(Object::as_str).unwrap();
        assert_eq!(subject, b"a (b) \\ c");
        assert_eq!(
            info.get(b"Odd name/#").and_then(Object::as_str).ok(),
            Some(&b"ok"[..])
        );
        assert!(back.get_object((unused, 0)).is_err());
        let root = back.trailer.get(b"Root").and_then(Object::as_reference);
        assert_eq!(root.ok(), Some((catalog, 0)));
        let ids = back.trailer.get(b"ID").and_then(Object::as_array).unwrap();
        assert_eq!(ids.len(), 2);
        assert_eq!(ids[0].as_str().unwrap().len(), 16);
    }
}
