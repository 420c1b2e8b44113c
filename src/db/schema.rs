//! The portable diesel schema, written by hand to match both migration trees
//! (`migrations/sqlite`, `migrations/postgres`); `tests/api/schema.rs` proves they agree.

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        language -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        email_verified_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        family_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    residents (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        name -> Text,
        name_key -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        street -> Text,
        house_number -> Text,
        postcode -> Text,
        city -> Text,
        wijk -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        language -> Text,
        staff_notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    eligibility_periods (id) {
        id -> BigInt,
        resident_id -> BigInt,
        basis -> Text,
        valid_from -> Date,
        valid_until -> Nullable<Date>,
        evidence_ref -> Text,
        verified_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    resident_proxies (id) {
        id -> BigInt,
        resident_id -> BigInt,
        proxy_user_id -> BigInt,
        relationship -> Nullable<Text>,
        consent_at -> Timestamp,
        recorded_by -> BigInt,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        message_id -> Text,
        recipient_email -> Text,
        recipient_name -> Text,
        language -> Text,
        template -> Text,
        data -> Nullable<Text>,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    call_tasks (id) {
        id -> BigInt,
        resident_id -> BigInt,
        due_on -> Date,
        language -> Text,
        template -> Text,
        data -> Text,
        created_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
        done_by -> Nullable<BigInt>,
        note -> Nullable<Text>,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(call_tasks -> residents (resident_id));
diesel::joinable!(eligibility_periods -> residents (resident_id));
diesel::joinable!(resident_proxies -> residents (resident_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    residents,
    eligibility_periods,
    resident_proxies,
    user_tokens,
    outbox,
    call_tasks
);
