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

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(eligibility_periods -> residents (resident_id));
diesel::joinable!(resident_proxies -> residents (resident_id));

diesel::allow_tables_to_appear_in_same_query!(users, refresh_tokens, residents, eligibility_periods, resident_proxies);
