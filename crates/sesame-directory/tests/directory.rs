use sesame_directory::{Directory, DirectoryError, DirectorySecurity, PersonKey};
use sesame_test_support::ldap_server::{self, LdapServer, PEOPLE, SERVICE_PASSWORD};

async fn connected(server: &LdapServer) -> Directory {
    Directory::connect(&server.settings(), Some(SERVICE_PASSWORD))
        .await
        .expect("bound to the test directory")
}

#[tokio::test]
async fn a_typed_name_finds_the_person_with_their_category_over_starttls() {
    let server = LdapServer::start();
    let mut directory = connected(&server).await;
    let found = directory.search("dup mar", 20).await.unwrap();
    let marie = found
        .iter()
        .find(|p| p.login.as_deref() == Some("mdupont"))
        .unwrap_or_else(|| panic!("Marie Dupont in {found:?}"));
    assert_eq!(marie.family_name, "Dupont");
    assert_eq!(marie.given_names, "Marie");
    assert_eq!(marie.email.as_deref(), Some("marie.dupont@univ.example"));
    assert_eq!(marie.unit.as_deref(), Some("Physique"));
    assert_eq!(marie.external_id.as_deref(), Some("E00000"));
    assert_eq!(marie.category.as_deref(), Some("staff"));
    assert!(!marie.disabled);
    assert!(found
        .iter()
        .all(|p| p.family_name == "Dupont" && p.given_names == "Marie"));

    // Accents as the directory stores them; a contractor and a locked account.
    let locked = ldap_server::person(49);
    let found = directory.search(&locked.uid, 5).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].family_name, locked.family_name);
    assert_eq!(found[0].category.as_deref(), Some("contractor"));
    assert!(found[0].disabled);
    let accented = directory.search("Lefèvre", 500).await.unwrap();
    assert_eq!(accented.len(), PEOPLE / 21, "{accented:?}");

    // The limit holds, and typed filter syntax is searched as text.
    assert_eq!(directory.search("m", 7).await.unwrap().len(), 7);
    assert!(directory.search("*)(uid=*", 20).await.unwrap().is_empty());
    assert!(directory.search("  ", 20).await.unwrap().is_empty());
}

#[tokio::test]
async fn everyone_is_read_past_the_servers_size_limit_over_ldaps() {
    let server = LdapServer::start();
    let mut directory = Directory::connect(&server.ldaps_settings(), Some(SERVICE_PASSWORD))
        .await
        .unwrap();
    let people = directory.everyone().await.unwrap();
    assert_eq!(people.len(), PEOPLE);
    assert_eq!(people.iter().filter(|p| p.disabled).count(), PEOPLE / 50);
    assert_eq!(
        people
            .iter()
            .filter(|p| p.category.as_deref() == Some("contractor"))
            .count(),
        PEOPLE / 10
    );
    let by_number = people
        .find(&PersonKey {
            external_id: Some("e00123".into()),
            email: None,
        })
        .unwrap();
    assert_eq!(
        by_number.login.as_deref(),
        Some(ldap_server::person(123).uid.as_str())
    );
    // Unknown HR number: the e-mail still finds them.
    let by_mail = people
        .find(&PersonKey {
            external_id: Some("X-999".into()),
            email: Some("MARIE.DUPONT@univ.example".into()),
        })
        .unwrap();
    assert_eq!(by_mail.login.as_deref(), Some("mdupont"));
    directory.close().await;
}

#[tokio::test]
async fn a_photo_comes_back_as_stored_and_its_absence_is_named() {
    let server = LdapServer::start();
    let marie = ldap_server::person(0);
    let jpeg: Vec<u8> = [0xFF, 0xD8, 0xFF, 0xE0]
        .into_iter()
        .chain((0..5000u32).map(|i| (i % 251) as u8))
        .chain([0xFF, 0xD9])
        .collect();
    server.set_photo(&marie, &jpeg);
    let mut directory = connected(&server).await;
    assert_eq!(directory.photo(&marie.dn()).await.unwrap(), jpeg);
    let other = ldap_server::person(1);
    assert!(matches!(
        directory.photo(&other.dn()).await,
        Err(DirectoryError::NoPhoto { .. })
    ));
    server.remove(&other);
    assert!(matches!(
        directory.photo(&other.dn()).await,
        Err(DirectoryError::PersonGone { .. })
    ));
}

#[tokio::test]
async fn failures_are_named() {
    let mut server = LdapServer::start();

    let wrong = Directory::connect(&server.settings(), Some("not-the-password")).await;
    assert!(
        matches!(wrong, Err(DirectoryError::BadCredentials { ref bind_dn }) if bind_dn == ldap_server::SERVICE_DN),
        "{:?}",
        wrong.err()
    );
    let missing = Directory::connect(&server.settings(), None).await;
    assert!(matches!(
        missing,
        Err(DirectoryError::PasswordMissing { .. })
    ));
    let empty = Directory::connect(&server.settings(), Some("")).await;
    assert!(matches!(empty, Err(DirectoryError::PasswordMissing { .. })));

    // The server's CA not trusted: refused on LDAPS and on StartTLS alike.
    for mut settings in [server.ldaps_settings(), server.settings()] {
        settings.ca_certificate = None;
        let refused = Directory::connect(&settings, Some(SERVICE_PASSWORD)).await;
        assert!(
            matches!(refused, Err(DirectoryError::CertificateRefused { .. })),
            "{:?}: {:?}",
            settings.security,
            refused.err()
        );
    }

    // Plain LDAP on loopback is allowed and works.
    let mut plain = server.settings();
    plain.security = DirectorySecurity::None;
    plain.ca_certificate = None;
    let mut directory = Directory::connect(&plain, Some(SERVICE_PASSWORD))
        .await
        .unwrap();
    let found = directory.search("mdupont", 5).await.unwrap();
    assert!(found.iter().any(|p| p.login.as_deref() == Some("mdupont")));

    // A base that does not exist.
    let mut elsewhere = server.settings();
    elsewhere.base_dn = "ou=nobody,dc=univ,dc=example".into();
    let mut directory = Directory::connect(&elsewhere, Some(SERVICE_PASSWORD))
        .await
        .unwrap();
    assert!(matches!(
        directory.search("marie", 5).await,
        Err(DirectoryError::SearchRefused { .. })
    ));

    server.stop();
    let down = Directory::connect(&server.settings(), Some(SERVICE_PASSWORD)).await;
    assert!(
        matches!(down, Err(DirectoryError::Unreachable { .. })),
        "{:?}",
        down.err()
    );
    let mut unset = server.settings();
    unset.host.clear();
    assert!(matches!(
        Directory::connect(&unset, Some(SERVICE_PASSWORD)).await,
        Err(DirectoryError::NotConfigured)
    ));
}
