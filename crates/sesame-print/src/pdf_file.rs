//! Writes the object tree printpdf built (as lopdf's) to the file, each photo's JPEG
//! bytes written from the card that holds them as its object is reached. lopdf can
//! only save the streams it holds: every photo would be copied into the tree first, a
//! second copy of all the batch's photos in memory (77 MB for 1 000 badges).
//!
//! The output is laid out as lopdf's own `save_to` lays out such a tree: the objects
//! in id order, then a cross-reference table (one section, the ids the tree does not
//! hold listed free) and the trailer.

use std::collections::HashMap;
use std::io::{self, Write};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};

/// The bytes of the streams the tree holds empty (the photos), by object.
pub(crate) type StreamBytes<'a> = HashMap<ObjectId, &'a [u8]>;

/// Writes `doc` as a PDF file into `out`, the streams named in `filled` with those
/// bytes instead of their (empty) content.
pub(crate) fn write_document<W: Write>(
    doc: &lopdf::Document,
    filled: &StreamBytes<'_>,
    out: &mut W,
) -> io::Result<()> {
    let mut out = Counting { inner: out, at: 0 };
    writeln!(out, "%PDF-{}", doc.version)?;
    // Four bytes over 127 tell transfer tools the file is binary.
    out.write_all(b"%\xBB\xAD\xC0\xDE\n")?;
    let mut offsets: Vec<(u32, u16, u64)> = Vec::with_capacity(doc.objects.len());
    for (&(id, generation), object) in &doc.objects {
        offsets.push((id, generation, out.at));
        writeln!(out, "{id} {generation} obj")?;
        match (object, filled.get(&(id, generation))) {
            (Object::Stream(stream), Some(bytes)) => {
                let mut dict = stream.dict.clone();
                dict.set("Length", Object::Integer(bytes.len() as i64));
                write_stream(&mut out, &dict, bytes)?;
            }
            (Object::Stream(stream), None) => {
                write_stream(&mut out, &stream.dict, &stream.content)?
            }
            (object, _) => write_object(&mut out, object)?,
        }
        out.write_all(b"\nendobj\n")?;
    }
    let xref_at = out.at;
    write_xref(&mut out, &offsets, doc.max_id)?;
    let mut trailer = doc.trailer.clone();
    trailer.set("Size", Object::Integer(i64::from(doc.max_id) + 1));
    out.write_all(b"trailer\n")?;
    write_dictionary(&mut out, &trailer)?;
    write!(out, "\nstartxref\n{xref_at}\n%%EOF")?;
    Ok(())
}

/// One section from object 0 to `max_id`, ids the tree does not hold listed free: each
/// entry is 20 bytes, as the format requires.
fn write_xref(out: &mut impl Write, offsets: &[(u32, u16, u64)], max_id: u32) -> io::Result<()> {
    let at: HashMap<u32, (u16, u64)> = offsets
        .iter()
        .map(|&(id, generation, offset)| (id, (generation, offset)))
        .collect();
    write!(out, "xref\n0 {}\n", u64::from(max_id) + 1)?;
    out.write_all(b"0000000000 65535 f \n")?;
    for id in 1..=max_id {
        match at.get(&id) {
            Some((generation, offset)) => writeln!(out, "{offset:010} {generation:05} n ")?,
            None => out.write_all(b"0000000000 65535 f \n")?,
        }
    }
    Ok(())
}

fn write_stream(out: &mut impl Write, dict: &Dictionary, content: &[u8]) -> io::Result<()> {
    write_dictionary(out, dict)?;
    out.write_all(b"stream\n")?;
    out.write_all(content)?;
    out.write_all(b"\nendstream")
}

fn write_object(out: &mut impl Write, object: &Object) -> io::Result<()> {
    match object {
        Object::Null => out.write_all(b"null"),
        Object::Boolean(true) => out.write_all(b"true"),
        Object::Boolean(false) => out.write_all(b"false"),
        Object::Integer(value) => write!(out, "{value}"),
        Object::Real(value) => write!(out, "{value}"),
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => write_literal(out, text),
        Object::String(text, StringFormat::Hexadecimal) => {
            out.write_all(b"<")?;
            for byte in text {
                write!(out, "{byte:02X}")?;
            }
            out.write_all(b">")
        }
        Object::Array(items) => {
            out.write_all(b"[")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.write_all(b" ")?;
                }
                write_object(out, item)?;
            }
            out.write_all(b"]")
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => write_stream(out, &stream.dict, &stream.content),
        Object::Reference((id, generation)) => write!(out, "{id} {generation} R"),
    }
}

fn write_dictionary(out: &mut impl Write, dict: &Dictionary) -> io::Result<()> {
    out.write_all(b"<<")?;
    for (key, value) in dict {
        write_name(out, key)?;
        out.write_all(b" ")?;
        write_object(out, value)?;
    }
    out.write_all(b">>")
}

/// A name's delimiters, white space and bytes outside `!`..`~` as `#xx`.
fn write_name(out: &mut impl Write, name: &[u8]) -> io::Result<()> {
    out.write_all(b"/")?;
    for &byte in name {
        if b"()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            write!(out, "#{byte:02X}")?;
        } else {
            out.write_all(&[byte])?;
        }
    }
    Ok(())
}

/// A literal string with its backslashes, carriage returns and parentheses escaped
/// (all of them, balanced or not: always valid, and simpler to read back).
fn write_literal(out: &mut impl Write, text: &[u8]) -> io::Result<()> {
    out.write_all(b"(")?;
    for &byte in text {
        match byte {
            b'(' | b')' | b'\\' => out.write_all(&[b'\\', byte])?,
            b'\r' => out.write_all(b"\\r")?,
            _ => out.write_all(&[byte])?,
        }
    }
    out.write_all(b")")
}

/// Counts the bytes written: the cross-reference table gives each object's offset.
struct Counting<W> {
    inner: W,
    at: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.at += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::dictionary;

    /// The tree lopdf itself reads back, with the filled stream's bytes and length.
    #[test]
    fn lopdf_reads_back_what_is_written() {
        let mut doc = lopdf::Document::with_version("1.4");
        let photo = doc.add_object(lopdf::Stream::new(
            dictionary! { "Type" => "XObject", "Filter" => "DCTDecode" },
            Vec::new(),
        ));
        let info = doc.add_object(dictionary! {
            "Title" => Object::string_literal("Badges (été) \\ a\rb"),
            "Odd name" => Object::Name(b"a/b#c d".to_vec()),
            "Numbers" => vec![Object::Integer(-3), Object::Real(1.5), Object::Null, true.into()],
            "Hex" => Object::String(vec![0, 0xFF, 0x10], StringFormat::Hexadecimal),
        });
        // An id the tree does not hold: listed free in the cross-reference table.
        let _unused = doc.new_object_id();
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Photo" => photo });
        doc.trailer.set("Root", catalog);
        doc.trailer.set("Info", info);
        let jpeg: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let filled = StreamBytes::from([(photo, jpeg.as_slice())]);
        let mut file = Vec::new();
        write_document(&doc, &filled, &mut file).expect("written");

        let back = lopdf::Document::load_mem(&file).expect("a PDF lopdf reads");
        let stream = back
            .get_object(photo)
            .and_then(Object::as_stream)
            .expect("the photo");
        assert_eq!(stream.content, jpeg);
        assert_eq!(
            stream.dict.get(b"Length").and_then(Object::as_i64).ok(),
            Some(3000)
        );
        let info = back.get_dictionary(info).expect("info");
        let title = info.get(b"Title").and_then(Object::as_str).expect("title");
        assert_eq!(title, "Badges (été) \\ a\rb".as_bytes());
        assert_eq!(
            info.get(b"Odd name").and_then(Object::as_name).ok(),
            Some(&b"a/b#c d"[..])
        );
        let numbers = info
            .get(b"Numbers")
            .and_then(Object::as_array)
            .expect("array");
        assert_eq!(numbers.len(), 4);
        assert_eq!(numbers[1].as_float().ok(), Some(1.5));
        let hex = info
            .get(b"Hex")
            .and_then(Object::as_str)
            .expect("hex string");
        assert_eq!(hex, [0, 0xFF, 0x10]);
        assert_eq!(back.objects.len(), doc.objects.len());
    }
}
