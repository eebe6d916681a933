//! Face geometry from the landmarks, and the badge frame placed around it.

use crate::detect::{Detection, Point};
use crate::report::PixelRect;
use crate::rules::BadgeFrame;

/// Crown to eye line, in eye-to-mouth distances (BlazeFace has no crown or chin point;
/// these ratios put the astronaut's and typical adult heads at 70-80 % of the frame).
const CROWN_ABOVE_EYES: f32 = 1.9;
/// Eye line to chin, in eye-to-mouth distances.
const CHIN_BELOW_EYES: f32 = 1.8;
/// Head height in inter-eye distances, used with the eye-to-mouth estimate so that a
/// turned head (shorter eye distance) or a tilted one (shorter eye-mouth) is not misjudged.
const HEAD_IN_EYE_DISTANCES: f32 = 3.6;

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
    /// Head turn estimate in degrees; positive when the nose points to the picture's right.
    pub yaw_deg: f32,
    /// Horizontal centre of the face, px.
    pub centre_x: f32,
    /// Chin-to-crown height estimate, px.
    pub head_height: f32,
    /// Crown height above the eye line, px.
    pub crown_above_eyes: f32,
}

impl FaceGeometry {
    pub fn of(face: &Detection) -> FaceGeometry {
        let (right_eye, left_eye) = (face.right_eye(), face.left_eye());
        let eyes_mid = right_eye.midpoint(left_eye);
        let inter_eye = right_eye.distance(left_eye).max(1.0);
        let eye_mouth = eyes_mid.distance(face.mouth()).max(1.0);
        let roll = (left_eye.y - right_eye.y).atan2(left_eye.x - right_eye.x);
        // Express nose and ears along the eye line so that roll does not read as yaw.
        let along = |p: Point| (p.x - eyes_mid.x) * roll.cos() + (p.y - eyes_mid.y) * roll.sin();
        let nose = along(face.nose());
        let to_right_ear = (nose - along(face.right_tragion())).abs();
        let to_left_ear = (along(face.left_tragion()) - nose).abs();
        // Head as a cylinder: ears at ±R·cos θ, nose at R·sin θ, so the ratio is tan θ.
        let yaw = ((to_right_ear - to_left_ear) / (to_right_ear + to_left_ear).max(1.0))
            .atan()
            .to_degrees();
        let head_height = 0.5
            * ((CROWN_ABOVE_EYES + CHIN_BELOW_EYES) * eye_mouth
                + HEAD_IN_EYE_DISTANCES * inter_eye);
        let crown_above_eyes =
            head_height * CROWN_ABOVE_EYES / (CROWN_ABOVE_EYES + CHIN_BELOW_EYES);
        FaceGeometry {
            eyes_mid,
            inter_eye,
            eye_mouth,
            roll_deg: roll.to_degrees(),
            yaw_deg: yaw,
            centre_x: (eyes_mid.x + face.mouth().x) / 2.0,
            head_height,
            crown_above_eyes,
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
