//! Users and refresh tokens in the database. Functions take `&mut DbConn` and do no
//! transaction handling of their own, so use cases can compose them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{refresh_tokens, users};
use crate::domain::{Email, Language};

use super::Role;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub language: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub email_verified_at: Option<NaiveDateTime>,
}

impl UserRow {
    /// The role as stored; the CHECK constraint keeps it one of the known roles.
    pub fn role(&self) -> Option<Role> {
        self.role.parse().ok()
    }
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub name: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub language: Language,
}

pub fn find_user(conn: &mut DbConn, id: i64) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// The accounts with `role` that can log in, by id.
pub fn active_with_role(conn: &mut DbConn, role: Role) -> QueryResult<Vec<UserRow>> {
    users::table
        .filter(users::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)
}

pub fn find_user_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn email_in_use(conn: &mut DbConn, email: &Email) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email.as_str())),
    ))
    .get_result(conn)
}

pub fn insert_user(conn: &mut DbConn, new: &NewUser<'_>, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(users::table)
        .values((
            users::email.eq(new.email.as_str()),
            users::name.eq(new.name),
            users::role.eq(new.role.as_str()),
            users::password_hash.eq(new.password_hash),
            users::language.eq(new.language.as_str()),
            users::active.eq(true),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub family_id: String,
    pub token_hash: String,
    pub issued_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn insert_refresh_token(
    conn: &mut DbConn,
    user_id: i64,
    family_id: &str,
    token_hash: &str,
    issued_at: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::issued_at.eq(issued_at),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn find_refresh_token(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a token used if nobody did before; returns whether this call did. The condition
/// in the UPDATE makes two simultaneous refreshes with one token yield one winner.
pub fn claim_refresh_token(conn: &mut DbConn, id: i64, now: NaiveDateTime) -> QueryResult<bool> {
    let updated = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::id.eq(id))
            .filter(refresh_tokens::used_at.is_null())
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke_family(conn: &mut DbConn, family_id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}

pub fn mark_email_verified(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id).filter(users::email_verified_at.is_null()))
        .set(users::email_verified_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

/// Sets the language the account's own mail (password reset and the like) comes in.
pub fn set_language(conn: &mut DbConn, user_id: i64, language: Language, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::language.eq(language.as_str()), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// Corrects an account's address (one whose holder never logged in: see
/// `invitations::renew`).
pub fn set_email(conn: &mut DbConn, user_id: i64, email: &Email, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::email.eq(email.as_str()), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn set_password(conn: &mut DbConn, user_id: i64, password_hash: &str, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set((users::password_hash.eq(password_hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

/// The sessions (refresh-token families) ended after `since`.
pub fn families_revoked_since(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<String>> {
    refresh_tokens::table
        .filter(refresh_tokens::revoked_at.gt(since))
        .select(refresh_tokens::family_id)
        .distinct()
        .load(conn)
}

/// How many sessions of the user are open: refresh-token families with a token that is
/// neither spent, revoked nor expired.
pub fn open_sessions(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QueryResult<i64> {
    let families: Vec<String> = refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::used_at.is_null())
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .select(refresh_tokens::family_id)
        .distinct()
        .load(conn)?;
    Ok(families.len() as i64)
}

/// Orders what ends an account's access (a new password, disabling, erasure: all end its
/// sessions here) against a session starting for it (a login, a refresh), until the
/// transaction ends: a login checked against the old password must not open a session
/// after the password changed. SQLite's write lock does this already; on PostgreSQL an
/// advisory lock per account. Take it before touching the account's rows (the user, its
/// refresh tokens), as every caller does; taking it again in the same transaction is free.
pub fn lock_account(conn: &mut DbConn, user_id: i64) -> QueryResult<()> {
    crate::db::lock(conn, &format!("account:{user_id}"))
}

/// Ends every session of the user (all refresh-token families).
pub fn revoke_all_sessions(conn: &mut DbConn, user_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    lock_account(conn, user_id)?;
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)
}
