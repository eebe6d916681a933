//! A real OpenLDAP `slapd` on loopback, seeded with [`PEOPLE`] people in two groups,
//! for the tests of the directory link.
//!
//! It listens on plain LDAP (StartTLS offered) and on LDAPS, both with a certificate
//! signed by a CA of its own made with `openssl` ([`LdapServer::ca_pem`]), so a
//! client that does not trust that CA is refused as it would be by a real server. A
//! search without paging is cut at 100 entries, as real servers cut them, so only a
//! paged search sees everyone. Disabled people carry ppolicy's `pwdAccountLockedTime`.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use sesame_directory::{DirectorySecurity, DirectorySettings, GroupCategory};

pub const BASE_DN: &str = "dc=univ,dc=example";
pub const PEOPLE_DN: &str = "ou=people,dc=univ,dc=example";
pub const STAFF_GROUP: &str = "cn=staff,ou=groups,dc=univ,dc=example";
pub const CONTRACTORS_GROUP: &str = "cn=contractors,ou=groups,dc=univ,dc=example";
/// The desk's service account, allowed to read people and groups.
pub const SERVICE_DN: &str = "cn=sesame,ou=services,dc=univ,dc=example";
pub const SERVICE_PASSWORD: &str = "badge-desk-2026";
const ADMIN_DN: &str = "cn=admin,dc=univ,dc=example";
const ADMIN_PASSWORD: &str = "admin-of-the-test-directory";

/// How many people the directory holds.
pub const PEOPLE: usize = 420;

const FAMILY_NAMES: [&str; 21] = [
    "Dupont",
    "Martin",
    "Bernard",
    "Lefèvre",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Garcia",
    "Müller",
    "Roux",
    "Fournier",
    "Girard",
    "Bonnet",
    "N'Diaye",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Chevalier",
    "Nguyen",
];
const GIVEN_NAMES: [&str; 20] = [
    "Marie", "Jean", "Camille", "Léa", "Hugo", "Chloé", "Louis", "Inès", "Nathan", "Zoé", "Élodie",
    "Karim", "Sophie", "Thomas", "Aïcha", "Paul", "Julie", "Mathis", "Emma", "Noé",
];
const UNITS: [&str; 6] = [
    "Physique",
    "Chimie",
    "Informatique",
    "Bibliothèque",
    "Scolarité",
    "Direction",
];

/// One seeded person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedPerson {
    pub uid: String,
    pub given_names: String,
    pub family_name: String,
    pub email: String,
    pub unit: String,
    pub employee_number: String,
    /// In the contractors' group (else the staff's).
    pub contractor: bool,
    /// Locked (`pwdAccountLockedTime`): a leaver.
    pub disabled: bool,
}

impl SeedPerson {
    pub fn dn(&self) -> String {
        format!("uid={},{PEOPLE_DN}", self.uid)
    }
}

/// The `i`-th seeded person. Person 0 is Marie Dupont (`mdupont`, E00000, Physique,
/// staff); every tenth is a contractor; every fiftieth from the 49th is disabled.
pub fn person(i: usize) -> SeedPerson {
    assert!(i < PEOPLE, "the directory holds {PEOPLE} people");
    let family_name = FAMILY_NAMES[i % FAMILY_NAMES.len()].to_owned();
    let given_names = GIVEN_NAMES[(i / FAMILY_NAMES.len()) % GIVEN_NAMES.len()].to_owned();
    let ascii = |s: &str| -> String {
        s.chars()
            .filter_map(|c| match c {
                'é' | 'è' | 'É' => Some('e'),
                'ü' => Some('u'),
                'ï' => Some('i'),
                '\'' => None,
                c => Some(c.to_ascii_lowercase()),
            })
            .collect()
    };
    let (uid, email) = if i == 0 {
        ("mdupont".to_owned(), "marie.dupont@univ.example".to_owned())
    } else {
        (
            format!(
                "{}{}{i}",
                ascii(&given_names).chars().next().unwrap(),
                ascii(&family_name)
            ),
            format!(
                "{}.{}{i}@univ.example",
                ascii(&given_names),
                ascii(&family_name)
            ),
        )
    };
    SeedPerson {
        uid,
        email,
        unit: UNITS[i % UNITS.len()].to_owned(),
        employee_number: format!("E{i:05}"),
        contractor: i % 10 == 9,
        disabled: i % 50 == 49,
        given_names,
        family_name,
    }
}

/// A private slapd. Stopped when dropped.
pub struct LdapServer {
    dir: tempfile::TempDir,
    slapd: Option<Child>,
    ldap_port: u16,
    ldaps_port: u16,
}

impl LdapServer {
    /// slapd with its seeded directory, ready for searches.
    pub fn start() -> LdapServer {
        let dir = tempfile::tempdir().expect("a folder for slapd");
        std::fs::create_dir_all(dir.path().join("db")).unwrap();
        make_certificates(dir.path());
        std::fs::write(dir.path().join("slapd.conf"), config(dir.path())).unwrap();
        std::fs::write(dir.path().join("seed.ldif"), seed_ldif()).unwrap();
        run(Command::new("slapadd")
            .arg("-f")
            .arg(dir.path().join("slapd.conf"))
            .arg("-l")
            .arg(dir.path().join("seed.ldif")));
        let (ldap_port, ldaps_port) = (free_port(), free_port());
        let mut server = LdapServer {
            dir,
            slapd: None,
            ldap_port,
            ldaps_port,
        };
        server.resume();
        server
    }

    /// (Re)starts slapd on its ports, with the directory as it was left.
    pub fn resume(&mut self) {
        if self.slapd.is_some() {
            return;
        }
        let log = std::fs::File::create(self.dir.path().join("slapd.log")).unwrap();
        let child = Command::new("slapd")
            .args(["-d", "0", "-f"])
            .arg(self.dir.path().join("slapd.conf"))
            .arg("-h")
            .arg(format!(
                "ldap://127.0.0.1:{}/ ldaps://127.0.0.1:{}/",
                self.ldap_port, self.ldaps_port
            ))
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("slapd (scripts/setup.sh --test installs slapd and ldap-utils)");
        self.slapd = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.ldaps_port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "slapd did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops slapd: "the directory cannot be reached".
    pub fn stop(&mut self) {
        if let Some(mut slapd) = self.slapd.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &slapd.id().to_string()])
                .status();
            let _ = slapd.wait();
        }
    }

    pub fn ldap_port(&self) -> u16 {
        self.ldap_port
    }

    pub fn ldaps_port(&self) -> u16 {
        self.ldaps_port
    }

    /// The CA that signed the server's certificate, as the settings page takes it.
    pub fn ca_pem(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("ca.crt")).unwrap()
    }

    /// Settings as an office would set them: StartTLS on port 389's stand-in, the
    /// service account, ppolicy's lock as "disabled", staff and contractors' groups.
    pub fn settings(&self) -> DirectorySettings {
        DirectorySettings {
            enabled: true,
            host: "127.0.0.1".into(),
            port: self.ldap_port,
            security: DirectorySecurity::Starttls,
            ca_certificate: Some(self.ca_pem()),
            bind_dn: Some(SERVICE_DN.into()),
            base_dn: PEOPLE_DN.into(),
            disabled_filter: Some("(pwdAccountLockedTime=*)".into()),
            groups: vec![
                GroupCategory {
                    group_dn: STAFF_GROUP.into(),
                    category: "staff".into(),
                },
                GroupCategory {
                    group_dn: CONTRACTORS_GROUP.into(),
                    category: "contractor".into(),
                },
            ],
            timeout_seconds: 5,
            ..DirectorySettings::default()
        }
    }

    /// The same over LDAPS.
    pub fn ldaps_settings(&self) -> DirectorySettings {
        DirectorySettings {
            port: self.ldaps_port,
            security: DirectorySecurity::Tls,
            ..self.settings()
        }
    }

    /// Applies an LDIF change as the directory's administrator (`ldapmodify`).
    pub fn modify(&self, ldif: &str) {
        let path = self.dir.path().join("change.ldif");
        std::fs::write(&path, ldif).unwrap();
        run(Command::new("ldapmodify")
            .args(["-x", "-H"])
            .arg(format!("ldap://127.0.0.1:{}", self.ldap_port))
            .args(["-D", ADMIN_DN, "-w", ADMIN_PASSWORD, "-f"])
            .arg(&path));
    }

    /// Removes the person: they left.
    pub fn remove(&self, person: &SeedPerson) {
        self.modify(&format!("dn: {}\nchangetype: delete\n", person.dn()));
    }

    /// Locks the person's account: disabled.
    pub fn disable(&self, person: &SeedPerson) {
        self.modify(&format!(
            "dn: {}\nchangetype: modify\nreplace: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n",
            person.dn()
        ));
    }

    /// Replaces one attribute's value (UTF-8).
    pub fn set(&self, person: &SeedPerson, attribute: &str, value: &str) {
        self.modify(&format!(
            "dn: {}\nchangetype: modify\nreplace: {attribute}\n{}",
            person.dn(),
            ldif_line(attribute, value.as_bytes())
        ));
    }

    /// Gives the person a `jpegPhoto`.
    pub fn set_photo(&self, person: &SeedPerson, jpeg: &[u8]) {
        self.modify(&format!(
            "dn: {}\nchangetype: modify\nreplace: jpegPhoto\n{}",
            person.dn(),
            ldif_line("jpegPhoto", jpeg)
        ));
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("slapd.log")).unwrap_or_default()
    }
}

impl Drop for LdapServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn config(dir: &Path) -> String {
    let d = dir.display();
    format!(
        "include /etc/ldap/schema/core.schema\n\
         include /etc/ldap/schema/cosine.schema\n\
         include /etc/ldap/schema/inetorgperson.schema\n\
         modulepath /usr/lib/ldap\n\
         moduleload back_mdb\n\
         moduleload ppolicy\n\
         pidfile {d}/slapd.pid\n\
         TLSCACertificateFile {d}/ca.crt\n\
         TLSCertificateFile {d}/server.crt\n\
         TLSCertificateKeyFile {d}/server.key\n\
         database mdb\n\
         suffix \"{BASE_DN}\"\n\
         rootdn \"{ADMIN_DN}\"\n\
         rootpw {ADMIN_PASSWORD}\n\
         directory {d}/db\n\
         maxsize 104857600\n\
         limits users size.soft=100 size.hard=100 size.pr=200 size.prtotal=unlimited\n\
         overlay ppolicy\n\
         access to attrs=userPassword by self write by anonymous auth by * none\n\
         access to * by users read by * none\n"
    )
}

fn seed_ldif() -> String {
    let mut ldif = format!(
        "dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\no: Université\ndc: univ\n\n\
         dn: {PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n\n\
         dn: ou=groups,{BASE_DN}\nobjectClass: organizationalUnit\nou: groups\n\n\
         dn: ou=services,{BASE_DN}\nobjectClass: organizationalUnit\nou: services\n\n\
         dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n\
         cn: sesame\nuserPassword: {SERVICE_PASSWORD}\n\n"
    )
    .replace("o: Université", &ldif_line("o", "Université".as_bytes()).replace('\n', ""));
    let mut staff = Vec::new();
    let mut contractors = Vec::new();
    for i in 0..PEOPLE {
        let p = person(i);
        ldif.push_str(&format!("dn: {}\nobjectClass: inetOrgPerson\n", p.dn()));
        for (attribute, value) in [
            ("uid", p.uid.clone()),
            ("cn", format!("{} {}", p.given_names, p.family_name)),
            ("sn", p.family_name.clone()),
            ("givenName", p.given_names.clone()),
            ("mail", p.email.clone()),
            ("ou", p.unit.clone()),
            ("employeeNumber", p.employee_number.clone()),
        ] {
            ldif.push_str(&ldif_line(attribute, value.as_bytes()));
        }
        if p.disabled {
            ldif.push_str("pwdAccountLockedTime: 000001010000Z\n");
        }
        ldif.push('\n');
        if p.contractor {
            contractors.push(p.dn());
        } else {
            staff.push(p.dn());
        }
    }
    for (dn, name, members) in [
        (STAFF_GROUP, "staff", staff),
        (CONTRACTORS_GROUP, "contractors", contractors),
    ] {
        ldif.push_str(&format!(
            "dn: {dn}\nobjectClass: groupOfNames\ncn: {name}\n"
        ));
        for member in members {
            ldif.push_str(&format!("member: {member}\n"));
        }
        ldif.push('\n');
    }
    ldif
}

/// `name: value`, or `name:: base64` when the value is not plain ASCII (RFC 2849).
fn ldif_line(name: &str, value: &[u8]) -> String {
    let safe = value.iter().all(|&b| (0x20..0x7f).contains(&b))
        && !value.starts_with(b" ")
        && !value.starts_with(b":")
        && !value.starts_with(b"<");
    if safe {
        format!("{name}: {}\n", String::from_utf8_lossy(value))
    } else {
        format!("{name}:: {}\n", base64(value))
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A CA and a server certificate for 127.0.0.1 and localhost, made with `openssl`.
fn make_certificates(dir: &Path) {
    let path = |name: &str| -> PathBuf { dir.join(name) };
    run(Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
        ])
        .args(["-subj", "/CN=Test directory CA"])
        .arg("-keyout")
        .arg(path("ca.key"))
        .arg("-out")
        .arg(path("ca.crt")));
    run(Command::new("openssl")
        .args([
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
        ])
        .arg("-keyout")
        .arg(path("server.key"))
        .arg("-out")
        .arg(path("server.csr")));
    std::fs::write(
        path("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    run(Command::new("openssl")
        .args(["x509", "-req", "-days", "3650", "-set_serial", "2"])
        .arg("-in")
        .arg(path("server.csr"))
        .arg("-CA")
        .arg(path("ca.crt"))
        .arg("-CAkey")
        .arg(path("ca.key"))
        .arg("-extfile")
        .arg(path("san.ext"))
        .arg("-out")
        .arg(path("server.crt")));
}

fn run(command: &mut Command) {
    let output = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{command:?}: {e} (scripts/setup.sh --test installs it)"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn seeded_people_are_unique() {
        let mut uids: Vec<String> = (0..PEOPLE).map(|i| person(i).uid).collect();
        uids.sort();
        uids.dedup();
        assert_eq!(uids.len(), PEOPLE);
        assert_eq!(person(0).family_name, "Dupont");
        assert_eq!(person(0).given_names, "Marie");
    }
}
