//! Colours as an office writes them in a template: "#1f5fad" or "cmyk(100, 45, 0, 10)".

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Colour {
    /// Components 0.0–1.0.
    Rgb(f32, f32, f32),
    /// Components 0.0–1.0 (templates write percentages).
    Cmyk(f32, f32, f32, f32),
}

impl Colour {
    pub const BLACK: Colour = Colour::Rgb(0.0, 0.0, 0.0);
    pub const WHITE: Colour = Colour::Rgb(1.0, 1.0, 1.0);

    pub fn parse(text: &str) -> Result<Colour, String> {
        let t = text.trim();
        if let Some(hex) = t.strip_prefix('#') {
            if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(format!("{text:?} is not a colour: write \"#RRGGBB\""));
            }
            let channel =
                |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0) as f32 / 255.0;
            return Ok(Colour::Rgb(channel(0), channel(2), channel(4)));
        }
        if let Some(inner) = t
            .strip_prefix("cmyk(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            let parts: Vec<f32> = inner
                .split(',')
                .map(|p| p.trim().trim_end_matches('%').parse::<f32>())
                .collect::<Result<_, _>>()
                .map_err(|_| format!("{text:?}: cmyk() takes four numbers 0–100"))?;
            if parts.len() != 4 || parts.iter().any(|p| !(0.0..=100.0).contains(p)) {
                return Err(format!("{text:?}: cmyk() takes four numbers 0–100"));
            }
            return Ok(Colour::Cmyk(
                parts[0] / 100.0,
                parts[1] / 100.0,
                parts[2] / 100.0,
                parts[3] / 100.0,
            ));
        }
        Err(format!(
            "{text:?} is not a colour: write \"#RRGGBB\" or \"cmyk(C, M, Y, K)\""
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_cmyk() {
        assert_eq!(
            Colour::parse("#FF0000").unwrap(),
            Colour::Rgb(1.0, 0.0, 0.0)
        );
        assert_eq!(
            Colour::parse("cmyk(100, 50, 0, 10%)").unwrap(),
            Colour::Cmyk(1.0, 0.5, 0.0, 0.1)
        );
        assert!(Colour::parse("#12345").unwrap_err().contains("#RRGGBB"));
        assert!(Colour::parse("cmyk(1,2,3)").is_err());
        assert!(Colour::parse("blue").is_err());
    }
}
