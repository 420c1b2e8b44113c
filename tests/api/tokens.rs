//! Access tokens that must not work: missing, garbage, forged, `alg: none`, wrong audience
//! or issuer, unknown key id, expired, without a session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use serde_json::{Value, json};
use servicepunt::auth::Role;
use servicepunt::auth::jwt::unix_now;

use crate::helpers::{JWT_SECRET, spawn_app};

fn claims(user_id: i64, overrides: Value) -> Value {
    let now = unix_now();
    let mut c = json!({
        "iss": "servicepunt", "aud": "servicepunt-api", "sub": user_id.to_string(),
        "role": "coordinator", "sid": "a-session", "iat": now, "exp": now + 600
    });
    for (k, v) in overrides.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

/// The key id the app derives from the test secret (first 8 bytes of its SHA-256, hex).
fn kid() -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(JWT_SECRET.as_bytes())[..8])
}

fn sign(claims: &Value, secret: &str, kid: Option<String>) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = kid;
    encode(&header, claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

#[actix_web::test]
async fn a_correctly_signed_token_is_accepted_as_a_baseline() {
    let app = spawn_app().await;
    let id = app.create_user("c@servicepunt.example", Role::Coordinator).await;
    let token = sign(&claims(id, json!({})), JWT_SECRET, Some(kid()));
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);
}

#[actix_web::test]
async fn bad_tokens_get_401() {
    let app = spawn_app().await;
    let id = app.create_user("c@servicepunt.example", Role::Coordinator).await;
    let now = unix_now();

    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let none_claims = URL_SAFE_NO_PAD.encode(claims(id, json!({})).to_string());
    let cases = [
        ("garbage", "not-a-jwt".to_owned()),
        ("alg none", format!("{none_header}.{none_claims}.")),
        (
            "wrong key",
            sign(
                &claims(id, json!({})),
                "another-secret-that-is-long-enough-0123456789",
                Some(kid()),
            ),
        ),
        (
            "wrong audience",
            sign(&claims(id, json!({"aud": "someone-else"})), JWT_SECRET, Some(kid())),
        ),
        (
            "wrong issuer",
            sign(&claims(id, json!({"iss": "evil"})), JWT_SECRET, Some(kid())),
        ),
        ("no kid", sign(&claims(id, json!({})), JWT_SECRET, None)),
        (
            "unknown kid",
            sign(&claims(id, json!({})), JWT_SECRET, Some("0011223344556677".into())),
        ),
        (
            "expired",
            sign(
                &claims(id, json!({"iat": now - 7200, "exp": now - 3600})),
                JWT_SECRET,
                Some(kid()),
            ),
        ),
        ("no session", {
            let mut c = claims(id, json!({}));
            c.as_object_mut().unwrap().remove("sid");
            sign(&c, JWT_SECRET, Some(kid()))
        }),
        (
            "unknown role",
            sign(&claims(id, json!({"role": "admin"})), JWT_SECRET, Some(kid())),
        ),
    ];
    for (what, token) in cases {
        let reply = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(reply.status, 401, "{what}: {}", reply.text);
        reply.assert_problem(401, "invalid_token");
        assert_eq!(reply.headers["www-authenticate"], "Bearer", "{what}");
    }

    let missing = app.get("/api/v1/me", None).await;
    missing.assert_problem(401, "unauthenticated");
    let basic = app
        .send(
            app.client
                .get(app.url("/api/v1/me"))
                .header("authorization", "Basic YTpi"),
        )
        .await;
    basic.assert_problem(401, "invalid_token");
}

#[actix_web::test]
async fn a_token_from_a_rotated_out_key_is_accepted_while_listed() {
    let old_secret = "the-previous-secret-0123456789-abcdefghijklmnop";
    let app = crate::helpers::spawn_app_with(|s| s.jwt_previous_secrets = Some(old_secret.into())).await;
    let id = app.create_user("c@servicepunt.example", Role::Coordinator).await;
    use sha2::Digest;
    let old_kid = hex::encode(&sha2::Sha256::digest(old_secret.as_bytes())[..8]);
    let token = sign(&claims(id, json!({})), old_secret, Some(old_kid));
    assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, 200);
}

/// A token is verified once and then known by its text (`auth::verified_tokens`); its
/// expiry still counts on every request.
#[actix_web::test]
async fn a_token_that_worked_stops_working_when_it_expires() {
    let app = spawn_app().await;
    let id = app.create_user("c@servicepunt.example", Role::Coordinator).await;
    let leeway = servicepunt::auth::jwt::LEEWAY_SECS;
    // Past its `exp`, but within the leeway for three to four more seconds: time enough
    // for two requests on a busy machine.
    let exp = unix_now() + 4 - leeway;
    let token = sign(&claims(id, json!({"exp": exp})), JWT_SECRET, Some(kid()));
    for _ in 0..2 {
        let reply = app.get("/api/v1/me", Some(&token)).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
    }
    while unix_now() <= exp + leeway {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    app.get("/api/v1/me", Some(&token))
        .await
        .assert_problem(401, "invalid_token");
}
