//! Reading a UID through a real pcscd with vpcd's two virtual readers and virtual
//! cards: the card on either reader, the reader named, and each way it fails (no
//! service, no reader, no card in time, cards on both readers, the card taken off
//! mid-read, a card that gives no UID).

use std::time::Duration;

use sesame_card::{read_uid, readers, CardError};
use sesame_test_support::card_reader::{VirtualReaders, READER_A, READER_B};

const SHORT: Duration = Duration::from_secs(2);

#[test]
fn the_card_laid_on_either_reader_is_read_and_named() {
    let pcsc = VirtualReaders::start();
    let listed = readers().unwrap();
    let names: Vec<&str> = listed.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, [READER_A, READER_B]);
    assert!(listed.iter().all(|r| !r.card_present));

    let card = pcsc.lay_card(READER_B, "04a224b2c35e80");
    let read = read_uid(None, SHORT).unwrap();
    assert_eq!(read.uid.as_str(), "04A224B2C35E80");
    assert_eq!(read.reader, READER_B);
    assert!(readers()
        .unwrap()
        .iter()
        .any(|r| r.name == READER_B && r.card_present));
    card.take_off();

    // A 4-byte UID on the other reader, named.
    let _card = pcsc.lay_card(READER_A, "DEADBEEF");
    let read = read_uid(Some(READER_A), SHORT).unwrap();
    assert_eq!(
        (read.uid.as_str(), read.reader.as_str()),
        ("DEADBEEF", READER_A)
    );
}

#[test]
fn a_card_laid_while_the_desk_waits_is_read() {
    let pcsc = VirtualReaders::start();
    let reading = std::thread::spawn(|| read_uid(None, Duration::from_secs(10)));
    std::thread::sleep(Duration::from_millis(500));
    let _card = pcsc.lay_card(READER_A, "0102030405060708090A");
    let read = reading.join().unwrap().unwrap();
    assert_eq!(read.uid.as_str(), "0102030405060708090A");
}

#[test]
fn no_card_in_time_cards_on_both_readers_and_an_unknown_reader_are_named() {
    let pcsc = VirtualReaders::start();
    assert_eq!(
        read_uid(None, Duration::from_secs(1)).unwrap_err(),
        CardError::NoCard {
            reader: format!("{READER_A}, {READER_B}"),
            seconds: 1,
        }
    );
    assert_eq!(
        read_uid(Some("ACS ACR122U 00 00"), SHORT).unwrap_err(),
        CardError::ReaderGone {
            reader: "ACS ACR122U 00 00".into()
        }
    );
    let _a = pcsc.lay_card(READER_A, "04A224B2C35E80");
    let _b = pcsc.lay_card(READER_B, "DEADBEEF");
    assert_eq!(
        read_uid(None, SHORT).unwrap_err(),
        CardError::SeveralReaders {
            readers: vec![READER_A.into(), READER_B.into()]
        }
    );
    // Naming the reader settles it.
    assert_eq!(
        read_uid(Some(READER_B), SHORT).unwrap().uid.as_str(),
        "DEADBEEF"
    );
}

#[test]
fn a_card_taken_off_mid_read_or_giving_no_uid_is_named() {
    let pcsc = VirtualReaders::start();
    let card = pcsc.lay_card_taken_off_mid_read(READER_A, "04A224B2C35E80");
    assert_eq!(
        read_uid(None, SHORT).unwrap_err(),
        CardError::Removed {
            reader: READER_A.into()
        }
    );
    drop(card);
    let _contact = pcsc.lay_card_without_uid(READER_B, "04A224B2C35E80");
    assert_eq!(
        read_uid(None, SHORT).unwrap_err(),
        CardError::NoUid {
            reader: READER_B.into(),
            status: "6D00".into()
        }
    );
}

#[test]
fn no_service_and_no_reader_are_named() {
    let mut pcsc = VirtualReaders::without_readers();
    assert_eq!(readers().unwrap_err(), CardError::NoReader);
    assert_eq!(read_uid(None, SHORT).unwrap_err(), CardError::NoReader);
    pcsc.stop();
    assert_eq!(readers().unwrap_err(), CardError::NoService);
    assert_eq!(read_uid(None, SHORT).unwrap_err(), CardError::NoService);
}
