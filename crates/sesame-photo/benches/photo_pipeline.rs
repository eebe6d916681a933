//! Prints the photo pipeline's timings on one core: model load, a 1280×720 live frame
//! (detection + mesh + eyes + every per-frame check, then with the segmentation and the
//! small-face search), a 12 MP JPEG imported to a validated, cropped badge photo, and a
//! bulk import (the labelled portraits, per photo ×1000).
//!
//! Run it pinned to one core, as the targets are one-core targets:
//! `RAYON_NUM_THREADS=1 taskset -c 0 cargo bench -p sesame-photo --bench photo_pipeline`
//! (needs scripts/fetch-test-photos.sh; the bulk figure also scripts/fetch-portraits.sh).
//! tract runs on the calling thread, and the thread's CPU time is printed beside the wall
//! time: what the work costs on one core, whatever else the machine is running.
use sesame_test_support::photos as common;

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

fn summary(label: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let median = samples[samples.len() / 2];
    let mean = samples.iter().sum::<Duration>() / samples.len() as u32;
    println!(
        "{label:<60} median {:>7.1} ms  mean {:>7.1} ms  min {:>7.1} ms  max {:>7.1} ms  (n={})",
        ms(median),
        ms(mean),
        ms(samples[0]),
        ms(*samples.last().unwrap()),
        samples.len()
    );
    median
}

/// Runs `f` `n` times and prints wall and CPU summaries; returns the median CPU time.
fn bench<T>(label: &str, n: usize, mut f: impl FnMut() -> T) -> Duration {
    let (mut walls, mut cpus) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let (_, wall, cpu) = timed(&mut f);
        walls.push(wall);
        cpus.push(cpu);
    }
    summary(&format!("{label}, wall"), walls);
    summary(&format!("{label}, cpu"), cpus)
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
    println!(
        "threads: this one only (RAYON_NUM_THREADS={:?}); pin with taskset -c 0 for one-core figures",
        std::env::var("RAYON_NUM_THREADS").ok()
    );

    let (engine, wall, cpu) = timed(|| PhotoEngine::global().expect("models load"));
    println!(
        "model load, first PhotoEngine::global (detectors, mesh, iris, segmentation): wall {:.1} ms, cpu {:.1} ms",
        ms(wall),
        ms(cpu)
    );
    bench("model load (all but the descriptor)", 3, || {
        PhotoEngine::load().unwrap()
    });

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

    println!("\nwhere a frame's time goes (median of 20, wall):");
    let mut stages: Vec<(&str, Vec<Duration>)> = Vec::new();
    for _ in 0..20 {
        for (i, (name, took)) in engine
            .stage_timings(&frame, &rules)
            .unwrap()
            .into_iter()
            .enumerate()
        {
            if stages.len() <= i {
                stages.push((name, Vec::new()));
            }
            stages[i].1.push(took);
        }
    }
    for (name, mut took) in stages {
        took.sort();
        println!("    {name:<40} {:>6.1} ms", ms(took[took.len() / 2]));
    }
    println!();

    // The live path: a LiveAnalyser at 25 fps with the desk's 200 ms limit. Most frames
    // run detection + mesh + eyes + checks only; some also the segmentation or the
    // small-face search, so that nothing shown is older than 200 ms.
    let mut live = engine.live(Duration::from_millis(200));
    let start = Instant::now();
    let (mut all, mut fast, mut slow, mut oldest) = (Vec::new(), Vec::new(), Vec::new(), 0u32);
    for i in 0..100u32 {
        let at = start + Duration::from_millis(40 * u64::from(i));
        let (report, _, cpu) = timed(|| live.analyse(&frame, &rules, at).unwrap());
        let age = report.oldest_measure_ms();
        oldest = oldest.max(age.unwrap_or(0));
        if i >= 4 {
            all.push(cpu);
            // A frame whose slow measures are all older than itself ran none of them.
            let fresh_slow =
                report.checks.iter().any(|c| {
                    c.age_ms.is_none() && c.id == sesame_photo::CheckId::BackgroundUniformity
                }) || report.checks[0].age_ms.is_none();
            if fresh_slow {
                slow.push(cpu);
            } else {
                fast.push(cpu);
            }
        }
    }
    summary("live frame 1280x720, every frame (LiveAnalyser), cpu", all);
    if !fast.is_empty() {
        summary(
            "live frame: detection + mesh + eyes + per-frame checks, cpu",
            fast,
        );
    }
    if !slow.is_empty() {
        summary("live frame + segmentation or small-face search, cpu", slow);
    }
    println!("live frame: oldest measure shown over 100 frames at 25 fps: {oldest} ms (limit 200)");
    bench(
        "analyse_frame 1280x720 (stateless: everything on every frame)",
        20,
        || engine.analyse_frame(&frame, &rules).unwrap(),
    );
    bench("check_image 1280x720 (a captured still)", 10, || {
        engine.check_image(&frame, &rules).unwrap()
    });

    let jpeg = twelve_megapixel_jpeg();
    println!("\n12 MP JPEG (4000x3000): {} bytes", jpeg.len());
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

    let (_, wall, cpu) = timed(|| {
        engine
            .compare_faces(&common::astronaut(), &common::astronaut_large())
            .unwrap()
    });
    println!(
        "\nfirst face comparison (loads the descriptor): wall {:.1} ms, cpu {:.1} ms",
        ms(wall),
        ms(cpu)
    );
    bench("face comparison, two photos", 5, || {
        engine
            .compare_faces(&common::astronaut(), &common::astronaut_large())
            .unwrap()
    });

    // Bulk import: every labelled portrait file (0.1 to 22 MP) read, imported, checked
    // and cropped, one after the other on this thread.
    let dir = common::labels::portraits_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!(
            "\nbulk: no portraits in {} (run scripts/fetch-portraits.sh)",
            dir.display()
        );
        return;
    };
    let files: Vec<Vec<u8>> = entries
        .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
        .collect();
    let (mut per_photo, mut total) = (Vec::new(), Duration::ZERO);
    for _ in 0..2 {
        for bytes in &files {
            let (_, _, cpu) = timed(|| {
                let photo = import_photo(bytes, &ImportLimits::default()).unwrap();
                match engine.auto_crop(&photo, &rules) {
                    Ok(cropped) => Some(cropped),
                    Err(sesame_photo::PhotoError::NoFace) => None,
                    Err(e) => panic!("{e}"),
                }
            });
            per_photo.push(cpu);
            total += cpu;
        }
    }
    let mean = total / per_photo.len() as u32;
    summary(
        &format!(
            "bulk: one of {} portrait files, import + check + crop, cpu",
            files.len()
        ),
        per_photo,
    );
    println!(
        "bulk: 1000 photos like these at the mean: {:.1} s on one core (target 120 s)",
        mean.as_secs_f64() * 1000.0
    );
}
