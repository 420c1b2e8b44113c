//! Sessions: a login starts a family of refresh tokens; each refresh spends one token and
//! issues the next; presenting a spent token again revokes the family, since then either
//! the user or a thief holds a copy.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::store::{self, UserRow};
use super::tokens::{random_token, token_hash};
use super::{AuthState, Role};
use crate::db::DbConn;
use crate::error::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Single use: exchange it at `/api/v1/auth/refresh` for a new pair.
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

fn ttl(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::days(30))
}

fn issue_pair(
    conn: &mut DbConn,
    auth: &AuthState,
    user_id: i64,
    role: Role,
    family_id: &str,
    now: NaiveDateTime,
) -> Result<TokenResponse, ApiError> {
    let refresh = random_token();
    store::insert_refresh_token(
        conn,
        user_id,
        family_id,
        &token_hash(&refresh),
        now,
        now + ttl(auth.jwt.refresh_ttl),
    )?;
    let now_secs = u64::try_from(now.and_utc().timestamp()).unwrap_or(0);
    let access = auth
        .jwt
        .keys
        .issue(user_id, role, family_id, now_secs, auth.jwt.access_ttl)
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token: access,
        refresh_token: refresh,
        token_type: "Bearer".into(),
        expires_in: auth.jwt.access_ttl.as_secs(),
    })
}

/// Starts a new session (a new token family) for a user who just proved who they are.
pub fn start(
    conn: &mut DbConn,
    auth: &AuthState,
    user: &UserRow,
    now: NaiveDateTime,
) -> Result<TokenResponse, ApiError> {
    let role = user
        .role()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("user has an unknown role")))?;
    issue_pair(conn, auth, user.id, role, &random_token()[..32], now)
}

pub enum Rotation {
    Rotated(TokenResponse),
    /// The token was spent already: the family has been revoked. The caller must commit
    /// (so the revocation holds) and then answer 401.
    ReuseDetected,
    Invalid,
}

/// Spends `presented` and issues the next pair of its family.
pub fn rotate(conn: &mut DbConn, auth: &AuthState, presented: &str, now: NaiveDateTime) -> Result<Rotation, ApiError> {
    let Some(token) = store::find_refresh_token(conn, &token_hash(presented))? else {
        return Ok(Rotation::Invalid);
    };
    if token.revoked_at.is_some() || token.expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    // Before the claim takes the token's row: the order every account change keeps.
    store::lock_account(conn, token.user_id)?;
    if !store::claim_refresh_token(conn, token.id, now)? {
        store::revoke_family(conn, &token.family_id, now)?;
        return Ok(Rotation::ReuseDetected);
    }
    let user = match store::find_user(conn, token.user_id)? {
        Some(u) if u.active => u,
        _ => return Ok(Rotation::Invalid),
    };
    let role = user
        .role()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("user has an unknown role")))?;
    issue_pair(conn, auth, user.id, role, &token.family_id, now).map(Rotation::Rotated)
}

/// Ends the session the refresh token belongs to. Unknown tokens are ignored.
pub fn end(conn: &mut DbConn, presented: &str, now: NaiveDateTime) -> Result<(), ApiError> {
    if let Some(token) = store::find_refresh_token(conn, &token_hash(presented))? {
        store::revoke_family(conn, &token.family_id, now)?;
    }
    Ok(())
}
