//! Settings read and checked at start: what is refused, what is generated, what is kept.

use super::*;

#[test]
fn production_refuses_a_generated_secret() {
    let raw = RawSettings {
        env: "production".into(),
        ..RawSettings::default()
    };
    let err = Settings::from_raw(raw).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("SERVICEPUNT_JWT_SECRET"), "{err}");
}

#[test]
fn development_generates_and_keeps_a_private_secret() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let raw = RawSettings {
        data_dir: dir.path().to_path_buf(),
        ..RawSettings::default()
    };
    let first = Settings::from_raw(raw.clone()).unwrap();
    let second = Settings::from_raw(raw).unwrap();
    assert_eq!(first.jwt.keys.current_kid(), second.jwt.keys.current_kid());
    let mode = std::fs::metadata(dir.path().join("jwt_secret"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        first.database_url(),
        dir.path().join("servicepunt.db").to_string_lossy()
    );
}

#[test]
fn a_malformed_service_area_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let raw = RawSettings {
        data_dir: dir.path().to_path_buf(),
        service_area: "6710-67".into(),
        ..RawSettings::default()
    };
    let err = Settings::from_raw(raw.clone())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("SERVICEPUNT_SERVICE_AREA"), "{err}");
    let ede = RawSettings {
        service_area: "6710-6718".into(),
        ..raw
    };
    assert!(!Settings::from_raw(ede).unwrap().jobs.service_area.is_anywhere());
}

#[test]
fn production_refuses_to_run_without_smtp() {
    let raw = RawSettings {
        env: "production".into(),
        jwt_secret: Some("x".repeat(40)),
        ..RawSettings::default()
    };
    let err = Settings::from_raw(raw).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("SMTP_URL"), "{err}");
}

#[test]
fn the_phone_for_the_mails_is_checked_and_kept_as_written() {
    assert_eq!(
        contact_phone(Some(" 0318 123 456 ")).unwrap().as_deref(),
        Some("0318 123 456")
    );
    assert_eq!(contact_phone(Some("")).unwrap(), None);
    assert_eq!(contact_phone(None).unwrap(), None);
    let err = contact_phone(Some("bel ons")).unwrap_err().to_string();
    assert!(err.starts_with("SERVICEPUNT_PHONE"), "{err}");
}

#[test]
fn short_secrets_are_refused() {
    let raw = RawSettings {
        jwt_secret: Some("too-short".into()),
        ..RawSettings::default()
    };
    assert!(Settings::from_raw(raw).is_err());
}

#[test]
fn a_short_metrics_token_is_refused() {
    let raw = RawSettings {
        jwt_secret: Some("x".repeat(40)),
        metrics_token: Some("guessable".into()),
        ..RawSettings::default()
    };
    let err = Settings::from_raw(raw).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err.contains("SERVICEPUNT_METRICS_TOKEN"), "{err}");
}

#[test]
fn cors_origins_are_plain_origins() {
    assert_eq!(
        cors_origins(Some("https://a.nl, http://localhost:5173")).ok(),
        Some(vec!["https://a.nl".to_owned(), "http://localhost:5173".to_owned()])
    );
    assert_eq!(cors_origins(None).ok(), Some(vec![]));
    assert_eq!(
        cors_origins(Some("HTTPS://App.Example.nl")).ok(),
        Some(vec!["https://app.example.nl".to_owned()]),
        "as a browser sends it"
    );
    for bad in ["*", "a.nl", "https://a.nl/app", "ftp://a.nl"] {
        assert!(cors_origins(Some(bad)).is_err(), "{bad}");
    }
}

#[test]
fn the_planning_lead_is_read_in_minutes_and_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let raw = RawSettings {
        data_dir: dir.path().to_path_buf(),
        ..RawSettings::default()
    };
    let settings = Settings::from_raw(raw.clone()).unwrap();
    assert_eq!(
        settings.jobs.planning_lead,
        chrono::Duration::hours(2),
        "two hours unless set"
    );
    let none = RawSettings {
        planning_lead_minutes: 0,
        ..raw.clone()
    };
    assert_eq!(
        Settings::from_raw(none).unwrap().jobs.planning_lead,
        chrono::Duration::zero()
    );
    let too_long = RawSettings {
        planning_lead_minutes: 2 * 24 * 60 + 1,
        ..raw
    };
    let err = Settings::from_raw(too_long)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("SERVICEPUNT_PLANNING_LEAD_MINUTES"), "{err}");
}
