#!/usr/bin/env python3
"""Checks the converted face models against the runtimes they came from.

Run through verify.sh (it builds the environment). For real photos, and a few noise
images, it feeds the same tensor to:

- face mesh and iris: the original .tflite in LiteRT (ai-edge-litert) and the ONNX file
  in onnxruntime; then, end to end, MediaPipe's own Face Mesh solution against the ONNX
  mesh on crops made here the way MediaPipe makes them (same short-range detector, box
  enlarged 1.5x, eyes levelled);
- selfie segmentation: MediaPipe's own Selfie Segmentation solution (LiteRT alone cannot
  run the model: it has MediaPipe's custom transposed convolution) and onnxruntime, on
  images already 256 x 256 so that MediaPipe does no resampling;
- descriptor: face-api.js under Node (tfjs 'cpu' backend, faceapi_reference.js) and
  onnxruntime, on the same 150 x 150 chips.

It prints the maximum absolute differences and writes them to --summary. With
--dump-dir it also writes, for the astronaut photo, each model's input and
onnxruntime's outputs as raw little-endian f32 files plus `index.json`, for a tract
check to compare against.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import cv2
import mediapipe as mp
import numpy as np
import onnxruntime as ort
from ai_edge_litert.interpreter import Interpreter

# The iris model's eye points 0-15 and the face-mesh points MediaPipe maps them onto, for
# the eye on the image's left (FACEMESH_RIGHT_EYE; as in convert.py) and, mirrored, the
# other eye (FACEMESH_LEFT_EYE, in the same order).
EYE_CONTOUR_MESH_INDICES = [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173]
OTHER_EYE_MESH_INDICES = [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398]
TFLITE = {
    "face_mesh_468": "mediapipe/modules/face_landmark/face_landmark.tflite",
    "iris_landmark": "mediapipe/modules/iris_landmark/iris_landmark.tflite",
}
MAX_FACES_PER_PHOTO = 4


class Stats:
    """Collects max |a - b| per (model, comparison), plus the scale of the values."""

    def __init__(self):
        self.rows: dict[tuple[str, str], dict] = {}

    def add(self, model: str, what: str, a, b, note: str = ""):
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
        assert a.shape == b.shape, (model, what, a.shape, b.shape)
        row = self.rows.setdefault((model, what), {"max_abs_diff": 0.0, "max_abs_value": 0.0, "cases": 0, "note": note})
        row["max_abs_diff"] = max(row["max_abs_diff"], float(np.abs(a - b).max()))
        row["max_abs_value"] = max(row["max_abs_value"], float(np.abs(b).max()))
        row["cases"] += 1

    def note(self, model: str, what: str, value: float, note: str):
        row = self.rows.setdefault((model, what), {"values": [], "note": note})
        row["values"].append(float(value))

    def report(self) -> list[dict]:
        out = []
        for (model, what), row in self.rows.items():
            entry = {"model": model, "comparison": what, **row}
            if "values" in row:
                v = row["values"]
                entry.update(min=min(v), max=max(v), mean=sum(v) / len(v), cases=len(v))
                del entry["values"]
                print(f"{model:26} {what:52} n={len(v):<3} min {min(v):.4g}  mean {sum(v)/len(v):.4g}  max {max(v):.4g}  {row['note']}")
            else:
                print(f"{model:26} {what:52} n={row['cases']:<3} max|diff| {row['max_abs_diff']:.3g}"
                      f"  (values up to {row['max_abs_value']:.4g}) {row['note']}")
            out.append(entry)
        return out


# ---- geometry --------------------------------------------------------------------------


def crop_matrix(center, size: float, angle: float, out: int) -> np.ndarray:
    """2x3 affine from crop pixels to image pixels: a square of side `size` rotated by
    `angle` (radians, image coordinates) around `center`, sampled at out x out."""
    s = size / out
    c, si = math.cos(angle) * s, math.sin(angle) * s
    cx, cy = center
    # image = center + R * (crop - out/2) * s, with crop coordinates at pixel centres.
    return np.array([[c, -si, cx - (c * out / 2 - si * out / 2)], [si, c, cy - (si * out / 2 + c * out / 2)]])


def warp(rgb: np.ndarray, m: np.ndarray, out: int, mirror: bool = False) -> np.ndarray:
    """Bilinear crop; outside the photo the edge pixels are repeated, as MediaPipe does
    (with zeros instead, meshes of faces cut by the frame move by up to 35 px)."""
    crop = cv2.warpAffine(rgb, m, (out, out), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_REPLICATE)
    return crop[:, ::-1].copy() if mirror else crop


def crop_to_image(m: np.ndarray, pts: np.ndarray, out: int, mirror: bool = False) -> np.ndarray:
    xy = pts[:, :2].astype(np.float64).copy()
    if mirror:
        xy[:, 0] = out - xy[:, 0]
    return xy @ m[:, :2].T + m[:, 2]


def to_nchw(rgb_uint8: np.ndarray) -> np.ndarray:
    return (rgb_uint8.astype(np.float32) / 255.0).transpose(2, 0, 1)[None].copy()


# ---- runtimes --------------------------------------------------------------------------


class Models:
    def __init__(self, model_dir: Path, wheel: Path):
        self.ort = {
            name: ort.InferenceSession(str(model_dir / f"{name}.onnx"), providers=["CPUExecutionProvider"])
            for name in ["face_mesh_468", "iris_landmark", "selfie_segmentation", "face_descriptor_dlib"]
        }
        self.litert = {}
        with zipfile.ZipFile(wheel) as z:
            for name, member in TFLITE.items():
                it = Interpreter(model_content=z.read(member), num_threads=1)
                it.allocate_tensors()
                self.litert[name] = it

    def run_ort(self, name: str, x: np.ndarray) -> dict[str, np.ndarray]:
        s = self.ort[name]
        return dict(zip([o.name for o in s.get_outputs()], s.run(None, {"image": x})))

    def run_litert(self, name: str, x_nchw: np.ndarray) -> list[np.ndarray]:
        it = self.litert[name]
        it.set_tensor(it.get_input_details()[0]["index"], x_nchw.transpose(0, 2, 3, 1).copy())
        it.invoke()
        return [it.get_tensor(o["index"]).copy() for o in it.get_output_details()]


def compare_mesh(models: Models, stats: Stats, x: np.ndarray) -> dict[str, np.ndarray]:
    out = models.run_ort("face_mesh_468", x)
    ref = {o.shape[-1]: o for o in models.run_litert("face_mesh_468", x)}  # 1404 and 1
    stats.add("face_mesh_468", "landmarks: LiteRT vs onnxruntime (crop px)", out["landmarks"].reshape(-1), ref[1404].reshape(-1))
    stats.add("face_mesh_468", "face_presence_logit: LiteRT vs onnxruntime", out["face_presence_logit"].reshape(-1), ref[1].reshape(-1))
    return out


def compare_iris(models: Models, stats: Stats, x: np.ndarray) -> dict[str, np.ndarray]:
    out = models.run_ort("iris_landmark", x)
    ref = {o.shape[-1]: o for o in models.run_litert("iris_landmark", x)}  # 213 and 15
    stats.add("iris_landmark", "eye_contours: LiteRT vs onnxruntime (crop px)", out["eye_contours"].reshape(-1), ref[213].reshape(-1))
    stats.add("iris_landmark", "iris: LiteRT vs onnxruntime (crop px)", out["iris"].reshape(-1), ref[15].reshape(-1))
    return out


# ---- photos ----------------------------------------------------------------------------


def load_photos(photo_dirs: list[Path], npm_tarball: Path) -> list[tuple[str, np.ndarray]]:
    photos = []
    for photo_dir in photo_dirs:
        for path in sorted(photo_dir.glob("*")):
            if path.suffix.lower() in {".png", ".jpg", ".jpeg"}:
                bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)  # grey and RGBA become BGR
                photos.append((path.name, cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)))
    # face-api's demo photos (group portraits) are read from the npm tarball in place;
    # they are used here only, never shipped. Each face becomes a portrait of its own
    # (2.5x the face, 512 x 512), the kind of photo Sésame checks, where the short-range
    # detector and so MediaPipe's own Face Mesh pipeline work as intended.
    with tarfile.open(npm_tarball, "r:gz") as tar:
        for k in range(1, 7):
            data = np.frombuffer(tar.extractfile(f"package/demo/sample{k}.jpg").read(), np.uint8)
            group = cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
            for n, face in enumerate(detect_faces(group, full_range=True)):
                m = crop_matrix(face["center"], 2.5 * face["size"], 0.0, 512)
                photos.append((f"face-api sample{k}.jpg face {n}", warp(group, m, 512)))
    return photos


def detect_faces(rgb: np.ndarray, full_range: bool = False) -> list[dict]:
    """MediaPipe's face detector (short range by default, as in its Face Mesh pipeline):
    box centre, size and eye line in pixels, for detections scoring at least 0.75."""
    h, w = rgb.shape[:2]
    with mp.solutions.face_detection.FaceDetection(model_selection=int(full_range), min_detection_confidence=0.75) as det:
        result = det.process(rgb)
    faces = []
    for d in result.detections or []:
        if d.score[0] < 0.75:
            continue
        box = d.location_data.relative_bounding_box
        kp = d.location_data.relative_keypoints
        right_eye, left_eye = (kp[0].x * w, kp[0].y * h), (kp[1].x * w, kp[1].y * h)
        faces.append({
            "center": ((box.xmin + box.width / 2) * w, (box.ymin + box.height / 2) * h),
            "size": max(box.width * w, box.height * h),
            "angle": math.atan2(left_eye[1] - right_eye[1], left_eye[0] - right_eye[0]),
            "score": d.score[0],
        })
    faces.sort(key=lambda f: -f["size"])
    return faces[:MAX_FACES_PER_PHOTO]


def mediapipe_meshes(rgb: np.ndarray) -> list[np.ndarray]:
    h, w = rgb.shape[:2]
    with mp.solutions.face_mesh.FaceMesh(static_image_mode=True, max_num_faces=10, refine_landmarks=False) as fm:
        result = fm.process(rgb)
    return [np.array([(p.x * w, p.y * h) for p in f.landmark]) for f in result.multi_face_landmarks or []]


def face_chip(rgb: np.ndarray, mesh_xy: np.ndarray) -> np.ndarray:
    """face-api's way: the landmarks' bounding box, padded to a square, resized to 150."""
    x0, y0 = mesh_xy.min(0)
    x1, y1 = mesh_xy.max(0)
    side = max(x1 - x0, y1 - y0)
    m = crop_matrix(((x0 + x1) / 2, (y0 + y1) / 2), side, 0.0, 150)
    return warp(rgb, m, 150)


def main() -> int:
    here = Path(__file__).resolve().parent
    root = here.parent.parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=Path, default=root / "crates/sesame-photo/models")
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--npm-tarball", type=Path, required=True)
    parser.add_argument("--photos", type=Path, action="append",
                        help="folder of photos (repeatable; default .cache/test-photos and, when"
                             " scripts/fetch-portraits.sh has filled it, .cache/portraits)")
    parser.add_argument("--node-modules", type=Path, required=True, help="node_modules with face-api and tfjs")
    parser.add_argument("--summary", type=Path, default=root / ".cache/face-models/verify-summary.json")
    parser.add_argument("--dump-dir", type=Path, help="write the astronaut's tensors here for a tract check")
    args = parser.parse_args()

    models = Models(args.models, args.wheel)
    stats = Stats()
    chips: list[np.ndarray] = []
    chip_names: list[str] = []
    dump: dict[str, dict] = {}
    rng = np.random.default_rng(20261202)

    # Noise: the whole input range, beyond what photos exercise.
    for _ in range(2):
        compare_mesh(models, stats, rng.random((1, 3, 192, 192), dtype=np.float32))
        compare_iris(models, stats, rng.random((1, 3, 64, 64), dtype=np.float32))

    photo_dirs = args.photos or [d for d in [root / ".cache/test-photos", root / ".cache/portraits"] if d.is_dir()]
    photos = load_photos(photo_dirs, args.npm_tarball)
    astronaut = next(rgb for name, rgb in photos if name == "astronaut.png")
    photos.append(("astronaut.png mirrored", astronaut[:, ::-1].copy()))
    photos.append(("astronaut.png rotated 12 deg", cv2.warpAffine(
        astronaut, cv2.getRotationMatrix2D((256, 256), 12, 1.0), (512, 512), borderMode=cv2.BORDER_REFLECT)))
    photos.append(("noise", rng.integers(0, 256, (256, 256, 3), dtype=np.uint8)))

    with mp.solutions.selfie_segmentation.SelfieSegmentation(model_selection=0) as seg:
        for name, rgb in photos:
            # --- segmentation: a 256 x 256 image, so MediaPipe's own resize is the identity.
            small = cv2.resize(rgb, (256, 256), interpolation=cv2.INTER_AREA)
            x = to_nchw(small)
            mask = models.run_ort("selfie_segmentation", x)["person_mask"][0, 0]
            ref = seg.process(small).segmentation_mask
            stats.add("selfie_segmentation", "person_mask: MediaPipe solution vs onnxruntime", mask, ref)
            inter = np.logical_and(mask > 0.5, ref > 0.5).sum()
            union = np.logical_or(mask > 0.5, ref > 0.5).sum()
            if union > 0:
                stats.note("selfie_segmentation", "IoU of mask > 0.5, MediaPipe vs onnxruntime", inter / union, "")
            if name == "astronaut.png":
                dump["selfie_segmentation"] = {"input": x, "outputs": {"person_mask": mask[None, None]}}

            # --- faces
            meshes_mp = mediapipe_meshes(rgb) if name != "noise" else []
            for face_no, face in enumerate(detect_faces(rgb) if name != "noise" else []):
                m = crop_matrix(face["center"], face["size"] * 1.5, face["angle"], 192)
                x = to_nchw(warp(rgb, m, 192))
                out = compare_mesh(models, stats, x)
                presence = 1 / (1 + math.exp(-float(out["face_presence_logit"][0, 0])))
                stats.note("face_mesh_468", "face presence (sigmoid) on detected faces", presence, "")
                if presence < 0.5:
                    continue
                mesh = out["landmarks"][0]
                mesh_xy = crop_to_image(m, mesh, 192)
                if name == "astronaut.png" and face_no == 0:
                    dump["face_mesh_468"] = {"input": x, "outputs": out}
                # End to end against MediaPipe's own pipeline (its crop differs from ours).
                if meshes_mp:
                    best = min(meshes_mp, key=lambda p: np.linalg.norm(p[1] - mesh_xy[1]))
                    d = np.linalg.norm(best - mesh_xy, axis=1)
                    if d.mean() < 0.2 * face["size"]:  # the same face
                        stats.note("face_mesh_468", "MediaPipe Face Mesh vs ONNX mesh, mean over points (px)",
                                   d.mean(), "(end to end, image px)")
                        stats.note("face_mesh_468", "MediaPipe Face Mesh vs ONNX mesh, worst point (px)",
                                   d.max(), "(end to end, image px)")

                # Iris: both eyes, the second mirrored, level with the eye line.
                roll = math.atan2(mesh_xy[263][1] - mesh_xy[33][1], mesh_xy[263][0] - mesh_xy[33][0])
                for corners, mesh_idx, mirror in [((33, 133), EYE_CONTOUR_MESH_INDICES, False),
                                                  ((362, 263), OTHER_EYE_MESH_INDICES, True)]:
                    a, b = mesh_xy[corners[0]], mesh_xy[corners[1]]
                    em = crop_matrix((a + b) / 2, 2.3 * np.linalg.norm(a - b), roll, 64)
                    x = to_nchw(warp(rgb, em, 64, mirror))
                    iris = compare_iris(models, stats, x)
                    contour = crop_to_image(em, iris["eye_contours"][0][:16], 64, mirror)
                    dist = np.linalg.norm(contour - mesh_xy[mesh_idx], axis=1).mean()
                    stats.note("iris_landmark", "eye points 0-15 vs their mesh points, mean / eye width %",
                               100 * dist / np.linalg.norm(a - b), "(index mapping sanity check)")
                    if name == "astronaut.png" and face_no == 0 and not mirror:
                        dump["iris_landmark"] = {"input": x, "outputs": iris}
                        ec = iris["eye_contours"][0]
                        stats.note("iris_landmark", "astronaut eye openness |p12-p4|/|p0-p8|",
                                   np.linalg.norm(ec[12, :2] - ec[4, :2]) / np.linalg.norm(ec[0, :2] - ec[8, :2]), "")

                chips.append(face_chip(rgb, mesh_xy))
                chip_names.append(name)
                if name == "astronaut.png" and face_no == 0:
                    dump["face_descriptor_dlib"] = {"chip_index": len(chips) - 1}

    # Descriptor: face-api.js (tfjs cpu) vs onnxruntime on the same chips.
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k, chip in enumerate(chips):
            f = Path(tmp) / f"chip{k}.rgb"
            f.write_bytes(chip.tobytes())
            files.append(str(f))
        env = dict(os.environ, NODE_PATH=str(args.node_modules))
        ref = json.loads(subprocess.run(["node", str(here / "faceapi_reference.js"), *files],
                                        check=True, capture_output=True, env=env).stdout)
    onnx_desc = []
    for chip, ref_desc in zip(chips, ref["descriptors"]):
        d = models.run_ort("face_descriptor_dlib", to_nchw(chip))["descriptor"][0]
        onnx_desc.append(d)
        stats.add("face_descriptor_dlib", f"descriptor: face-api.js ({ref['backend']}) vs onnxruntime", d, np.array(ref_desc))
    k = dump["face_descriptor_dlib"].pop("chip_index")
    # A functional check of the descriptor (dlib: same person below 0.6).
    for j, other in enumerate(chip_names):
        if j != k and not np.array_equal(chips[j], chips[k]):  # the same photo may be in two folders
            same = "astronaut" in other
            stats.note("face_descriptor_dlib",
                       f"distance astronaut vs {'its mirrored/rotated copies' if same else 'other people'}",
                       np.linalg.norm(onnx_desc[k] - onnx_desc[j]), "")
    dump["face_descriptor_dlib"] = {"input": to_nchw(chips[k]), "outputs": {"descriptor": onnx_desc[k][None]}}

    print(f"\n{len(photos)} images, {len(chips)} faces; face-api {ref['faceapi']}, tfjs {ref['tfjs']},"
          f" onnxruntime {ort.__version__}, MediaPipe {mp.__version__}\n")
    report = stats.report()
    args.summary.parent.mkdir(parents=True, exist_ok=True)
    args.summary.write_text(json.dumps(report, indent=1))

    if args.dump_dir:
        args.dump_dir.mkdir(parents=True, exist_ok=True)
        index = {}
        for model, d in dump.items():
            entry = {"input": {"file": f"{model}.input.f32", "shape": list(d["input"].shape)}, "outputs": {}}
            d["input"].astype("<f4").tofile(args.dump_dir / entry["input"]["file"])
            for out_name, value in d["outputs"].items():
                f = f"{model}.{out_name}.f32"
                np.asarray(value, "<f4").tofile(args.dump_dir / f)
                entry["outputs"][out_name] = {"file": f, "shape": list(np.shape(value))}
            index[model] = entry
        (args.dump_dir / "index.json").write_text(json.dumps(index, indent=1))
        print(f"\ntensors for a tract check written to {args.dump_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
