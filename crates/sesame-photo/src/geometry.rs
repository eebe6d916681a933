//! Face geometry from the landmarks, and the badge frame placed around it.

use crate::detect::Point;
use crate::mesh::index;
use crate::pipeline::FaceAnalysis;
use crate::report::PixelRect;
use crate::rules::BadgeFrame;

/// The crown above the mesh's forehead-top point, in forehead-to-chin lengths. The mesh
/// stops near the hairline; 0.47 makes the chin-to-crown height equal, in the median of
/// the accuracy set's faces, to the earlier estimate from BlazeFace's six points (which
/// was calibrated so that typical adult heads fill 70-80 % of the badge frame), so that
/// crops keep their framing.
const CROWN_ABOVE_FOREHEAD: f32 = 0.47;

/// Where the face is and how it is posed.
#[derive(Debug, Clone)]
pub(crate) struct FaceGeometry {
    pub eyes_mid: Point,
    /// Distance between the eye centres, px.
    pub inter_eye: f32,
    /// Eye line midpoint to mouth centre, px.
    pub eye_mouth: f32,
    /// Eye line tilt in degrees; positive is clockwise in the picture.
    pub roll_deg: f32,
    /// Horizontal centre of the face, px.
    pub centre_x: f32,
    /// Chin-to-crown height estimate, px.
    pub head_height: f32,
    /// Crown height above the eye line, px.
    pub crown_above_eyes: f32,
}

impl FaceGeometry {
    pub fn of(face: &FaceAnalysis) -> FaceGeometry {
        let [right, left] = &face.eyes;
        let (right_eye, left_eye) = (right.centre(), left.centre());
        let eyes_mid = right_eye.midpoint(left_eye);
        let inter_eye = right_eye.distance(left_eye).max(1.0);
        let mesh = &face.mesh;
        let mouth = mesh
            .at(index::UPPER_LIP_INNER)
            .midpoint(mesh.at(index::LOWER_LIP_INNER));
        let roll = (left_eye.y - right_eye.y).atan2(left_eye.x - right_eye.x);
        // Heights along the face's own vertical (square to the eye line), from the eyes.
        let down = |p: Point| -(p.x - eyes_mid.x) * roll.sin() + (p.y - eyes_mid.y) * roll.cos();
        let chin = down(mesh.at(index::CHIN));
        let forehead = down(mesh.at(index::FOREHEAD_TOP));
        let crown = forehead - CROWN_ABOVE_FOREHEAD * (chin - forehead);
        FaceGeometry {
            eyes_mid,
            inter_eye,
            eye_mouth: eyes_mid.distance(mouth).max(1.0),
            roll_deg: roll.to_degrees(),
            centre_x: (eyes_mid.x + mouth.x) / 2.0,
            head_height: (chin - crown).max(1.0),
            crown_above_eyes: -crown,
        }
    }

    pub fn crown_y(&self) -> f32 {
        self.eyes_mid.y - self.crown_above_eyes
    }

    pub fn chin_y(&self) -> f32 {
        self.crown_y() + self.head_height
    }
}

/// The badge frame cut around a face, in source pixels, and how well the face sits in it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Framing {
    pub x0: f32,
    pub y0: f32,
    pub width: f32,
    pub height: f32,
    /// Head height / frame height.
    pub head_ratio: f32,
    /// Face centre offset from the frame centre, % of the frame width (+ = right).
    pub centring_pct: f32,
    /// Eye line above the frame bottom, % of the frame height.
    pub eye_line_pct: f32,
    /// Frame height in source px per output px.
    pub scale: f32,
}

impl Framing {
    /// The ideal frame for `geometry`, shrunk and shifted as little as needed to stay inside
    /// the image (never padded: the photo is only cut, never extended).
    pub fn around(geometry: &FaceGeometry, frame: &BadgeFrame, width: u32, height: u32) -> Framing {
        let (img_w, img_h) = (width as f32, height as f32);
        let aspect = frame.aspect() as f32;
        let mut frame_h = geometry.head_height / frame.head_height_ratio as f32;
        let mut frame_w = frame_h * aspect;
        let fit = (img_h / frame_h).min(img_w / frame_w).min(1.0);
        frame_h *= fit;
        frame_w *= fit;
        let eyes_from_top = 1.0 - frame.eye_line_from_bottom as f32;
        let x0 = (geometry.centre_x - frame_w / 2.0).clamp(0.0, (img_w - frame_w).max(0.0));
        let y0 =
            (geometry.eyes_mid.y - eyes_from_top * frame_h).clamp(0.0, (img_h - frame_h).max(0.0));
        Framing {
            x0,
            y0,
            width: frame_w,
            height: frame_h,
            head_ratio: geometry.head_height / frame_h,
            centring_pct: (geometry.centre_x - (x0 + frame_w / 2.0)) / frame_w * 100.0,
            eye_line_pct: (y0 + frame_h - geometry.eyes_mid.y) / frame_h * 100.0,
            scale: frame_h / frame.height_px as f32,
        }
    }

    /// The frame as whole pixels, inside a `width` × `height` image.
    pub fn pixel_rect(&self, width: u32, height: u32) -> PixelRect {
        let x = (self.x0.round().max(0.0) as u32).min(width.saturating_sub(1));
        let y = (self.y0.round().max(0.0) as u32).min(height.saturating_sub(1));
        PixelRect {
            x,
            y,
            width: (self.width.round() as u32).clamp(1, width - x),
            height: (self.height.round() as u32).clamp(1, height - y),
        }
    }
}
