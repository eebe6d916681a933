//! A real pcscd with vpcd's two virtual contactless readers, on a private socket, and
//! virtual cards laid on them (`scripts/pcsc/virtual_card.py`), for the tests that
//! read a card's UID through PC/SC.
//!
//! pcscd (1.9) ignores `PCSCLITE_CSOCK_NAME` and always uses `/run/pcscd/`, so it
//! runs in its own mount namespace with a private folder mounted over `/run`; its
//! clients do read the variable, once per process (each nextest test is one), so
//! [`VirtualReaders::start`] sets it before the first PC/SC call. One vpcd entry
//! gives two readers, [`READER_A`] and [`READER_B`], listening for cards on two TCP
//! ports this harness picks free.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The first of vpcd's two readers.
pub const READER_A: &str = "Virtual PCD 00 00";
/// The second.
pub const READER_B: &str = "Virtual PCD 00 01";

/// How long pcscd takes at most to see a card come or go (it polls every 400 ms).
const NOTICE: Duration = Duration::from_secs(5);

/// A private pcscd. Stopped when dropped.
pub struct VirtualReaders {
    dir: tempfile::TempDir,
    pcscd: Option<Child>,
    port: u16,
}

impl VirtualReaders {
    /// pcscd with the two virtual readers, this process's PC/SC clients pointed at it.
    pub fn start() -> VirtualReaders {
        Self::launch(true)
    }

    /// pcscd with no reader configured: "no card reader connected".
    pub fn without_readers() -> VirtualReaders {
        Self::launch(false)
    }

    fn launch(with_readers: bool) -> VirtualReaders {
        let dir = tempfile::tempdir().expect("a folder for pcscd");
        std::fs::create_dir_all(dir.path().join("run")).unwrap();
        std::fs::create_dir_all(dir.path().join("conf")).unwrap();
        let port = free_port_pair();
        if with_readers {
            std::fs::write(
                dir.path().join("conf/vpcd"),
                format!(
                    "FRIENDLYNAME \"Virtual PCD\"\nDEVICENAME /dev/null:{port}\n\
                     LIBPATH /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID {port}\n"
                ),
            )
            .unwrap();
        }
        let mut readers = VirtualReaders {
            dir,
            pcscd: None,
            port,
        };
        // Set before any PC/SC call of this process: libpcsclite reads it once.
        std::env::set_var("PCSCLITE_CSOCK_NAME", readers.socket());
        readers.start_pcscd();
        readers
    }

    fn start_pcscd(&mut self) {
        let mut unshare = Command::new("unshare");
        if !is_root() {
            unshare.args(["--user", "--map-root-user"]);
        }
        let log = std::fs::File::create(self.dir.path().join("pcscd.log")).unwrap();
        let child = unshare
            .args(["--mount", "--propagation", "private", "sh", "-c"])
            .arg(r#"mount --bind "$0/run" /run && exec /usr/sbin/pcscd --foreground --config "$0/conf""#)
            .arg(self.dir.path())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("unshare and pcscd (scripts/setup.sh --test installs pcscd and vsmartcard-vpcd)");
        self.pcscd = Some(child);
        let deadline = Instant::now() + NOTICE;
        while !self.socket().exists() {
            assert!(
                Instant::now() < deadline,
                "pcscd did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The socket this process's PC/SC clients use (`PCSCLITE_CSOCK_NAME`), for a
    /// process started by the test (the app, sesamectl).
    pub fn socket(&self) -> PathBuf {
        self.dir.path().join("run/pcscd/pcscd.comm")
    }

    /// Lays a card of `uid` (hex) on `reader` and waits until pcscd sees it.
    pub fn lay_card(&self, reader: &str, uid: &str) -> VirtualCard {
        self.lay_card_with(reader, uid, &[])
    }

    /// A card that leaves the reader as soon as it is sent a command.
    pub fn lay_card_taken_off_mid_read(&self, reader: &str, uid: &str) -> VirtualCard {
        self.lay_card_with(reader, uid, &["--vanish-on-read"])
    }

    /// A card that gives no UID (a contact card, or a reader without the command).
    pub fn lay_card_without_uid(&self, reader: &str, uid: &str) -> VirtualCard {
        self.lay_card_with(reader, uid, &["--no-uid"])
    }

    fn lay_card_with(&self, reader: &str, uid: &str, options: &[&str]) -> VirtualCard {
        let port = match reader {
            READER_A => self.port,
            READER_B => self.port + 1,
            other => panic!("no virtual reader {other}"),
        };
        let mut child = Command::new("python3")
            .arg(script())
            .args(["--port", &port.to_string(), "--uid", uid])
            .args(options)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 for the virtual card");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("connected"), "the virtual card: {line}");
        wait_until(reader, true);
        VirtualCard {
            child,
            reader: reader.to_owned(),
        }
    }

    /// Stops pcscd: "the smart-card service is not running".
    pub fn stop(&mut self) {
        if let Some(mut pcscd) = self.pcscd.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &pcscd.id().to_string()])
                .status();
            let _ = pcscd.wait();
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("pcscd.log")).unwrap_or_default()
    }
}

impl Drop for VirtualReaders {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A card on a virtual reader, taken off when dropped.
pub struct VirtualCard {
    child: Child,
    reader: String,
}

impl VirtualCard {
    /// Takes the card off and waits until pcscd sees it gone.
    pub fn take_off(mut self) {
        self.leave();
        wait_until(&self.reader, false);
    }

    fn leave(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for VirtualCard {
    fn drop(&mut self) {
        self.leave();
    }
}

/// Waits until `reader` holds a card (or none), as this process's PC/SC sees it.
fn wait_until(reader: &str, present: bool) {
    let deadline = Instant::now() + NOTICE;
    loop {
        let seen = sesame_card::readers()
            .map(|readers| {
                readers
                    .iter()
                    .any(|r| r.name == reader && r.card_present == present)
            })
            .unwrap_or(false);
        if seen {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "pcscd never saw a card {} {reader}",
            if present { "on" } else { "leave" }
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Two consecutive free TCP ports (vpcd's readers listen on P and P + 1).
fn free_port_pair() -> u16 {
    for _ in 0..100 {
        let first = TcpListener::bind("0.0.0.0:0").unwrap();
        let port = first.local_addr().unwrap().port();
        if port < u16::MAX && TcpListener::bind(("0.0.0.0", port + 1)).is_ok() {
            return port;
        }
    }
    panic!("no two consecutive free ports");
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pcsc/virtual_card.py")
}
