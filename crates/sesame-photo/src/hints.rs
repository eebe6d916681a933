//! The operator's one-line hints, in French and English, per check and direction.

use crate::report::{CheckId, Hint};

/// Which side of the accepted band the measure fell on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    TooLow,
    TooHigh,
}

fn hint(fr: &str, en: &str) -> Hint {
    Hint {
        fr: fr.to_owned(),
        en: en.to_owned(),
    }
}

/// Signed measures (roll, yaw, centring) are in picture terms: positive = towards the
/// right of the picture / clockwise, so the advice is given from the subject's side.
pub(crate) fn for_check(id: CheckId, direction: Direction, value: f64) -> Hint {
    use Direction::*;
    match (id, direction) {
        (CheckId::FaceCount, _) if value < 1.0 => hint(
            "Aucun visage détecté : la personne doit faire face à l'objectif",
            "No face found: the person must face the camera",
        ),
        (CheckId::FaceCount, _) => hint(
            "Plusieurs visages : une seule personne doit figurer sur la photo",
            "Several faces: only one person may be in the photo",
        ),
        (CheckId::InterEyeDistance, _) => hint(
            "Visage trop petit : rapprochez la personne ou l'appareil",
            "Face too small: move the person or the camera closer",
        ),
        (CheckId::HeadHeight, TooHigh) => hint(
            "Visage trop grand dans le cadre : reculez un peu",
            "Face too large for the frame: step back a little",
        ),
        (CheckId::HeadHeight, TooLow) => hint(
            "Visage trop petit dans le cadre : rapprochez-vous",
            "Face too small for the frame: move closer",
        ),
        (CheckId::Centring, TooHigh) => hint(
            "Visage trop à droite de l'image : décalez l'appareil ou la personne",
            "Face too far right in the picture: re-centre the camera or the person",
        ),
        (CheckId::Centring, TooLow) => hint(
            "Visage trop à gauche de l'image : décalez l'appareil ou la personne",
            "Face too far left in the picture: re-centre the camera or the person",
        ),
        // The frame could not be placed around the face: it touches the picture's edge.
        (CheckId::EyeLine, TooLow) => hint(
            "Visage trop bas dans l'image : baissez l'appareil ou redressez la personne",
            "Face too low in the picture: lower the camera or have the person sit up",
        ),
        (CheckId::EyeLine, TooHigh) => hint(
            "Visage trop haut dans l'image : montez l'appareil pour laisser de l'espace au-dessus de la tête",
            "Face too high in the picture: raise the camera to leave room above the head",
        ),
        // A face lying at 45° or more: the picture itself is sideways (no EXIF orientation).
        (CheckId::Roll, _) if value.abs() >= 45.0 => hint(
            "Photo couchée : faites-la pivoter d'un quart de tour",
            "Photo lying sideways: rotate it a quarter turn",
        ),
        (CheckId::Roll, TooHigh) => hint(
            "Tête penchée : redressez la tête vers la droite de la personne",
            "Head tilted: straighten the head towards the person's right",
        ),
        (CheckId::Roll, TooLow) => hint(
            "Tête penchée : redressez la tête vers la gauche de la personne",
            "Head tilted: straighten the head towards the person's left",
        ),
        // TooHigh: the nose points to the right of the picture, i.e. the person looks
        // to their own left, so they should turn to their right.
        (CheckId::Yaw, TooHigh) => hint(
            "Tournez légèrement la tête vers la droite",
            "Turn the head slightly to the right",
        ),
        (CheckId::Yaw, TooLow) => hint(
            "Tournez légèrement la tête vers la gauche",
            "Turn the head slightly to the left",
        ),
        // TooHigh: chin raised.
        (CheckId::Pitch, TooHigh) => hint(
            "Baissez légèrement le menton",
            "Lower the chin slightly",
        ),
        (CheckId::Pitch, TooLow) => hint(
            "Relevez légèrement le menton : le regard droit vers l'objectif",
            "Raise the chin slightly: look straight at the camera",
        ),
        (CheckId::EyesOpen, _) => hint(
            "Yeux fermés ou mi-clos : gardez les yeux bien ouverts",
            "Eyes closed or half-closed: keep both eyes open",
        ),
        (CheckId::EyesVisible, _) => hint(
            "Yeux masqués (reflet ou verres teintés) : retirez les lunettes teintées ou inclinez-les pour supprimer le reflet",
            "Eyes hidden (glare or tinted lenses): remove tinted glasses or tilt them to remove the reflection",
        ),
        (CheckId::MouthClosed, _) => hint(
            "Bouche ouverte : fermez la bouche, lèvres jointes",
            "Mouth open: close the mouth, lips together",
        ),
        (CheckId::Expression, _) => hint(
            "Expression non neutre : ne souriez pas, gardez un visage neutre",
            "Expression not neutral: do not smile, keep a neutral face",
        ),
        (CheckId::HeadCovering, _) => hint(
            "Couvre-chef probable : retirez-le, sauf motif religieux ou médical (à noter)",
            "Head covering likely: remove it unless worn for religious or medical reasons (record it)",
        ),
        (CheckId::Occlusion, _) => hint(
            "Visage en partie masqué (main, cheveux, objet) : dégagez le visage",
            "Face partly hidden (hand, hair, object): uncover the face",
        ),
        (CheckId::Illumination, _) => hint(
            "Éclairage inégal entre les deux côtés du visage : éclairez de face ou ajoutez une lumière du côté sombre",
            "Uneven light across the face: light it from the front or add light on the darker side",
        ),
        (CheckId::Compression, _) => hint(
            "Fichier trop compressé (blocs JPEG visibles) : importez l'original ou reprenez la photo",
            "File too compressed (visible JPEG blocks): import the original or take the photo again",
        ),
        (CheckId::Sharpness, _) => hint(
            "Photo floue : faites la mise au point et ne bougez plus",
            "Blurred photo: focus and hold still",
        ),
        (CheckId::Exposure, TooLow) => hint(
            "Visage trop sombre : ajoutez de la lumière face à la personne",
            "Face too dark: add light in front of the person",
        ),
        (CheckId::Exposure, TooHigh) => hint(
            "Visage surexposé : réduisez la lumière ou le flash",
            "Face over-exposed: reduce the light or the flash",
        ),
        (CheckId::Clipping, _) => hint(
            "Zones du visage brûlées ou bouchées : adoucissez l'éclairage",
            "Parts of the face are blown out or crushed: soften the lighting",
        ),
        (CheckId::DynamicRange, _) => hint(
            "Visage terne, sans contraste : éclairez mieux le visage",
            "Flat face with little contrast: light the face better",
        ),
        (CheckId::Colour, _) => hint(
            "Photo en noir et blanc : une photo en couleur est requise",
            "Black and white photo: a colour photo is required",
        ),
        (CheckId::BackgroundUniformity, _) => hint(
            "Fond chargé : placez la personne devant un fond uni",
            "Busy background: place the person in front of a plain background",
        ),
        (CheckId::BackgroundBrightness, _) => hint(
            "Fond trop sombre : utilisez un fond clair",
            "Background too dark: use a light background",
        ),
        (CheckId::Resolution, _) => hint(
            "Définition insuffisante : utilisez une photo plus grande ou rapprochez l'appareil",
            "Resolution too low: use a larger photo or move the camera closer",
        ),
    }
}
