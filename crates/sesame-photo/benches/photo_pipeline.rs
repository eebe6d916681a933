//! Prints the photo pipeline's timings: model load, live-frame analysis on a 1280×720
//! frame, and a 12 MP JPEG imported to a validated, cropped badge photo.
//! Run: `cargo bench -p sesame-photo --bench photo_pipeline` (needs
//! scripts/fetch-test-photos.sh). Single-threaded by construction (tract runs on the
//! calling thread), so the figures are one-core figures.
#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use sesame_photo::image::{imageops, Rgb, RgbImage};
use sesame_photo::{import_photo, ImportLimits, PhotoEngine, PhotoRules};

/// CPU time of the calling thread: what the work costs on one core, whatever else the
/// machine is running (wall-clock figures are printed too).
#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass it.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    Duration::ZERO
}

/// Wall-clock and thread CPU time of one call.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (wall, cpu) = (Instant::now(), thread_cpu_time());
    let out = f();
    (out, wall.elapsed(), thread_cpu_time() - cpu)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{label:<52} median {:>7.1} ms  mean {:>7.1} ms  min {:>7.1} ms  max {:>7.1} ms  (n={})",
        ms(median),
        ms(mean),
        ms(samples[0]),
        ms(*samples.last().unwrap()),
        samples.len()
    );
}

/// A webcam-like 1280×720 frame: the astronaut at 720 px high on a plain backdrop.
fn webcam_frame() -> RgbImage {
    let portrait = imageops::resize(
        &common::astronaut(),
        720,
        720,
        imageops::FilterType::CatmullRom,
    );
    let mut frame = RgbImage::from_pixel(1280, 720, Rgb([200, 200, 198]));
    imageops::replace(&mut frame, &portrait, 280, 0);
    frame
}

/// A 12 MP (4000×3000) JPEG of the astronaut, enlarged, as a phone would produce.
fn twelve_megapixel_jpeg() -> Vec<u8> {
    let big = imageops::resize(
        &common::astronaut(),
        4000,
        4000,
        imageops::FilterType::Triangle,
    );
    let cut = imageops::crop_imm(&big, 0, 0, 4000, 3000).to_image();
    let mut out = Vec::new();
    sesame_photo::image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&cut)
        .unwrap();
    out
}

fn main() {
    let rules = PhotoRules::default();

    let (engine, wall, cpu) = timed(|| PhotoEngine::global().expect("models load"));
    println!(
        "model load, first PhotoEngine::global: wall {:.1} ms, cpu {:.1} ms",
        ms(wall),
        ms(cpu)
    );
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..3 {
        let (_, wall, cpu) = timed(|| PhotoEngine::load().unwrap());
        walls.push(wall);
        cpus.push(cpu);
    }
    summary("model load (both models), wall", walls);
    summary("model load (both models), cpu", cpus);

    let frame = webcam_frame();
    let report = engine.analyse_frame(&frame, &rules).unwrap();
    println!(
        "1280x720 frame: {:?}, {} face(s), failures {:?}",
        report.verdict,
        report.faces.len(),
        report
            .failures()
            .iter()
            .map(|c| c.name())
            .collect::<Vec<_>>()
    );
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    for _ in 0..60 {
        let (_, wall, cpu) = timed(|| engine.analyse_frame(&frame, &rules).unwrap());
        walls.push(wall);
        cpus.push(cpu);
    }
    summary("analyse_frame 1280x720 (detection + checks), wall", walls);
    summary("analyse_frame 1280x720 (detection + checks), cpu", cpus);
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    for _ in 0..10 {
        let (_, wall, cpu) = timed(|| engine.check_image(&frame, &rules).unwrap());
        walls.push(wall);
        cpus.push(cpu);
    }
    summary("check_image 1280x720 (both models + checks), wall", walls);
    summary("check_image 1280x720 (both models + checks), cpu", cpus);

    let jpeg = twelve_megapixel_jpeg();
    println!("12 MP JPEG (4000x3000): {} bytes", jpeg.len());
    let (mut imports, mut import_cpus, mut totals, mut total_cpus) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..6 {
        let (cropped, wall, cpu) = timed(|| {
            let (photo, import_wall, import_cpu) =
                timed(|| import_photo(&jpeg, &ImportLimits::default()).unwrap());
            imports.push(import_wall);
            import_cpus.push(import_cpu);
            engine.auto_crop(&photo, &rules).unwrap()
        });
        totals.push(wall);
        total_cpus.push(cpu);
        assert_eq!(
            (cropped.edits.output_width, cropped.edits.output_height),
            (413, 531)
        );
    }
    summary("12 MP JPEG: import (decode + orient), wall", imports);
    summary("12 MP JPEG: import (decode + orient), cpu", import_cpus);
    summary("12 MP JPEG -> checked, cropped badge JPEG, wall", totals);
    summary("12 MP JPEG -> checked, cropped badge JPEG, cpu", total_cpus);
}
