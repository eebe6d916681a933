//! The data key in a real Secret Service (run through scripts/with-keyring.sh).

use crate::common;

use common::TestVault;
use sesame_core::ErrorCode;
use sesame_vault::{export_key, read_key_file, ImportOutcome, KdfCost, KeyState, KeyVault};

const PASSPHRASE: &str = "badge office passphrase 2026";

#[test]
fn a_created_key_is_found_again_by_a_new_vault() {
    let desk = TestVault::new("reload");
    assert_eq!(desk.vault.load().unwrap_err().code(), "vault.key_missing");
    assert_eq!(desk.vault.status().state, KeyState::Missing);

    let created = desk.vault.load_or_create().unwrap();
    let again = KeyVault::open(desk.vault.service(), desk.vault.account()).unwrap();
    assert_eq!(again.load().unwrap(), created);
    assert_eq!(
        again.load_or_create().unwrap(),
        created,
        "an existing key is never replaced"
    );
    assert_eq!(again.fingerprint().unwrap(), created.id());
    let status = again.status();
    assert_eq!(status.state, KeyState::Present);
    assert_eq!(status.fingerprint, Some(created.id().to_string()));
}

#[test]
fn the_missing_key_error_says_what_to_do() {
    let desk = TestVault::new("missing");
    let error = desk.vault.load().unwrap_err();
    assert_eq!(error.code(), "vault.key_missing");
    let text = error.to_string();
    assert!(
        text.contains("sesamectl key init") && text.contains("sesamectl key import"),
        "{text}"
    );
    assert!(text.contains(desk.vault.service()), "{text}");
}

#[test]
fn the_key_moves_between_desks_with_a_passphrase() {
    let first = TestVault::new("share");
    let second = first.second_desk();
    let key = first.vault.load_or_create().unwrap();

    let file = first.vault.export(PASSPHRASE).unwrap();
    assert!(
        !file.contains(&format!("{key:?}")[8..]),
        "the file must not show the key"
    );

    // Wrong passphrase: refused, and the second desk still has no key.
    let error = second
        .vault
        .import(&file, "not the passphrase at all", false)
        .unwrap_err();
    assert_eq!(error.code(), "vault.wrong_passphrase");
    assert_eq!(second.vault.status().state, KeyState::Missing);

    assert_eq!(
        second.vault.import(&file, PASSPHRASE, false).unwrap(),
        ImportOutcome::Stored(key.id())
    );
    assert_eq!(second.vault.load().unwrap(), key);
    assert_eq!(
        second.vault.import(&file, PASSPHRASE, false).unwrap(),
        ImportOutcome::AlreadyPresent(key.id())
    );
}

#[test]
fn a_different_key_is_not_overwritten_unless_forced() {
    let first = TestVault::new("conflict");
    let second = first.second_desk();
    let shared = first.vault.load_or_create().unwrap();
    let own = second.vault.load_or_create().unwrap();
    assert_ne!(shared, own);
    let file = export_key(&shared, PASSPHRASE, KdfCost::default()).unwrap();

    let error = second.vault.import(&file, PASSPHRASE, false).unwrap_err();
    assert_eq!(error.code(), "vault.key_conflict");
    assert!(error.to_string().contains(&own.id().to_string()));
    assert_eq!(second.vault.load().unwrap(), own, "nothing changed");

    assert_eq!(
        second.vault.import(&file, PASSPHRASE, true).unwrap(),
        ImportOutcome::Replaced {
            previous: own.id(),
            imported: shared.id()
        }
    );
    assert_eq!(second.vault.load().unwrap(), shared);
    assert_eq!(read_key_file(&file, PASSPHRASE).unwrap(), shared);
}

#[test]
fn an_entry_that_is_not_a_key_is_reported_and_kept() {
    let desk = TestVault::new("foreign");
    let entry = keyring::Entry::new(desk.vault.service(), desk.vault.account()).unwrap();
    entry.set_password("someone's password").unwrap();
    assert_eq!(desk.vault.load().unwrap_err().code(), "vault.key_invalid");
    assert_eq!(
        desk.vault.load_or_create().unwrap_err().code(),
        "vault.key_invalid"
    );
    assert_eq!(desk.vault.status().state, KeyState::Invalid);
    assert_eq!(
        entry.get_password().unwrap(),
        "someone's password",
        "not overwritten"
    );
}

#[test]
fn desks_starting_together_end_up_with_one_key() {
    let desk = TestVault::new("race");
    let (service, account) = (
        desk.vault.service().to_owned(),
        desk.vault.account().to_owned(),
    );
    let keys: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (service, account) = (service.clone(), account.clone());
                scope.spawn(move || {
                    KeyVault::open(&service, &account)
                        .unwrap()
                        .load_or_create()
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let stored = desk.vault.load().unwrap();
    let agreeing = keys.iter().filter(|k| **k == stored).count();
    assert_eq!(agreeing, keys.len(), "every starter uses the stored key");
}
