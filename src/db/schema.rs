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
        erased_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    resident_duplicates (id) {
        id -> BigInt,
        registered_id -> BigInt,
        known_id -> BigInt,
        found_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        resolved_by -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
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
        phone -> Nullable<Text>,
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
    login_failures (id) {
        id -> BigInt,
        scope -> Text,
        key_hash -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    registrations (id) {
        id -> BigInt,
        email -> Text,
        token_hash -> Text,
        password_hash -> Text,
        details -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
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
        job_id -> Nullable<BigInt>,
        superseded_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    services (id) {
        id -> BigInt,
        active -> Bool,
        current_version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    service_versions (id) {
        id -> BigInt,
        service_id -> BigInt,
        version -> BigInt,
        kind -> Text,
        category -> Text,
        name_nl -> Text,
        name_en -> Text,
        description_nl -> Text,
        description_en -> Text,
        around_home -> Bool,
        allowed -> Bool,
        not_allowed_reason_nl -> Nullable<Text>,
        not_allowed_reason_en -> Nullable<Text>,
        required_skill -> Nullable<Text>,
        needs_solo_clearance -> Bool,
        default_minutes -> BigInt,
        max_minutes -> BigInt,
        min_crew -> BigInt,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
        bill_per_person -> Bool,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        service_id -> BigInt,
        service_version_id -> BigInt,
        category -> Text,
        recipient_id -> BigInt,
        requester_user_id -> Nullable<BigInt>,
        channel -> Text,
        description -> Text,
        street -> Text,
        house_number -> Text,
        postcode -> Text,
        city -> Text,
        wijk -> Nullable<Text>,
        address_key -> Text,
        estimated_minutes -> BigInt,
        otherwise_not_done -> Bool,
        status -> Text,
        needs_review -> Nullable<Text>,
        review_reason -> Nullable<Text>,
        refusal_code -> Nullable<Text>,
        refusal_note -> Nullable<Text>,
        priority -> Bool,
        accepted_at -> Nullable<Timestamp>,
        queue_at -> Nullable<Timestamp>,
        scheduled_start -> Nullable<Timestamp>,
        scheduled_end -> Nullable<Timestamp>,
        cancelled_late -> Nullable<Bool>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        billable_minutes -> Nullable<BigInt>,
        confirm_due_at -> Nullable<Timestamp>,
        institution_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    job_windows (id) {
        id -> BigInt,
        job_id -> BigInt,
        on_date -> Date,
        dagdeel -> Nullable<Text>,
        from_time -> Nullable<Time>,
        until_time -> Nullable<Time>,
    }
}

diesel::table! {
    job_events (id) {
        id -> BigInt,
        job_id -> BigInt,
        from_status -> Nullable<Text>,
        to_status -> Text,
        actor_user_id -> Nullable<BigInt>,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (id) {
        id -> BigInt,
        user_id -> BigInt,
        idem_key -> Text,
        request_hash -> Text,
        status_code -> BigInt,
        response_body -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    participants (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        name -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        postcode -> Nullable<Text>,
        wijk -> Nullable<Text>,
        languages -> Text,
        skills -> Text,
        interests -> Text,
        aversions -> Text,
        clearance -> Text,
        contracted_minutes_per_week -> BigInt,
        coach_user_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        inactive_since -> Nullable<Timestamp>,
        vog_issued_on -> Nullable<Date>,
    }
}

diesel::table! {
    participant_availability (id) {
        id -> BigInt,
        participant_id -> BigInt,
        weekday -> BigInt,
        dagdeel -> Text,
    }
}

diesel::table! {
    participant_absences (id) {
        id -> BigInt,
        participant_id -> BigInt,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        note -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    closed_days (day) {
        day -> Date,
        reason -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    clearance_changes (id) {
        id -> BigInt,
        participant_id -> BigInt,
        from_clearance -> Nullable<Text>,
        to_clearance -> Text,
        changed_by -> BigInt,
        reason -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    do_not_pair (id) {
        id -> BigInt,
        participant_id -> BigInt,
        other_participant_id -> BigInt,
        reason -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    resident_keys (id) {
        id -> BigInt,
        resident_id -> BigInt,
        tag -> Text,
        received_at -> Timestamp,
        received_by -> BigInt,
        returned_at -> Nullable<Timestamp>,
        returned_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    on_call_shifts (day, dagdeel) {
        day -> Date,
        dagdeel -> Text,
        user_id -> BigInt,
        phone -> Text,
        set_by -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    approval_requests (id) {
        id -> BigInt,
        trajectory_id -> BigInt,
        kind -> Text,
        proposal -> Text,
        status -> Text,
        asked_by -> BigInt,
        asked_at -> Timestamp,
        answered_on -> Nullable<Date>,
        case_manager -> Nullable<Text>,
        answer_note -> Nullable<Text>,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    intake_slots (id) {
        id -> BigInt,
        coach_user_id -> BigInt,
        on_date -> Date,
        from_time -> Time,
        minutes -> BigInt,
        client_name -> Nullable<Text>,
        case_manager -> Nullable<Text>,
        note -> Nullable<Text>,
        booked_by -> Nullable<BigInt>,
        booked_at -> Nullable<Timestamp>,
        created_by -> BigInt,
        created_at -> Timestamp,
        came -> Nullable<Bool>,
        came_noted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ramp_up_steps (participant_id, week_start) {
        participant_id -> BigInt,
        week_start -> Date,
        minutes_per_week -> BigInt,
        set_by -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    buddy_volunteers (participant_id) {
        participant_id -> BigInt,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    buddies (id) {
        id -> BigInt,
        participant_id -> BigInt,
        buddy_id -> BigInt,
        starts_on -> Date,
        ended_on -> Nullable<Date>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    progress_reviews (id) {
        id -> BigInt,
        trajectory_id -> BigInt,
        held_on -> Date,
        ladder_step -> Integer,
        summary -> Text,
        written_by -> BigInt,
        written_at -> Timestamp,
        corrected_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    trajectory_plans (id) {
        id -> BigInt,
        trajectory_id -> BigInt,
        version -> Integer,
        goals -> Text,
        written_by -> BigInt,
        written_at -> Timestamp,
        signed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    trajectories (id) {
        id -> BigInt,
        participant_id -> BigInt,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        extended_until -> Nullable<Date>,
        extension_justification -> Nullable<Text>,
        ended_on -> Nullable<Date>,
        exit_reason -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    preferred_participants (id) {
        id -> BigInt,
        resident_id -> BigInt,
        participant_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        job_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        pinned -> Bool,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    assignment_members (id) {
        id -> BigInt,
        assignment_id -> BigInt,
        participant_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
    }
}

diesel::table! {
    planning_proposals (id) {
        id -> BigInt,
        from_date -> Date,
        to_date -> Date,
        served_minutes -> BigInt,
        created_by -> BigInt,
        created_at -> Timestamp,
        applied_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    proposal_lines (id) {
        id -> BigInt,
        proposal_id -> BigInt,
        job_id -> BigInt,
        participant_ids -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        score -> BigInt,
    }
}

diesel::table! {
    attendance (id) {
        id -> BigInt,
        participant_id -> BigInt,
        on_date -> Date,
        status -> Text,
        note -> Nullable<Text>,
        recorded_by -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    sent_reminders (id) {
        id -> BigInt,
        kind -> Text,
        ref_id -> BigInt,
        for_date -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_logs (id) {
        id -> BigInt,
        participant_id -> BigInt,
        assignment_id -> Nullable<BigInt>,
        job_id -> Nullable<BigInt>,
        activity -> Nullable<Text>,
        started_at -> Timestamp,
        ended_at -> Timestamp,
        break_minutes -> BigInt,
        minutes -> BigInt,
        note -> Nullable<Text>,
        status -> Text,
        entered_by -> BigInt,
        created_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        rejection_reason -> Nullable<Text>,
        supersedes_id -> Nullable<BigInt>,
        correction_reason -> Nullable<Text>,
    }
}

diesel::table! {
    bonus_rates (id) {
        id -> BigInt,
        valid_from -> Date,
        cents_per_hour -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bonus_statements (id) {
        id -> BigInt,
        participant_id -> BigInt,
        year -> BigInt,
        kind -> Text,
        minutes -> BigInt,
        amount_cents -> BigInt,
        months -> Text,
        issued_by -> BigInt,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    journal_entries (id) {
        id -> BigInt,
        entry_date -> Date,
        kind -> Text,
        reference -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    journal_lines (id) {
        id -> BigInt,
        entry_id -> BigInt,
        account -> Text,
        dimension -> Nullable<Text>,
        amount_cents -> BigInt,
        entry_date -> Date,
        kind -> Text,
    }
}

diesel::table! {
    cheque_products (id) {
        id -> BigInt,
        name -> Text,
        face_minutes -> BigInt,
        reduced_yearly_cap -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        validity_months -> Nullable<BigInt>,
    }
}

diesel::table! {
    cheque_prices (id) {
        id -> BigInt,
        product_id -> BigInt,
        valid_from -> Date,
        regular_cents -> BigInt,
        reduced_cents -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cash_sessions (id) {
        id -> BigInt,
        opened_by -> BigInt,
        opened_at -> Timestamp,
        float_cents -> BigInt,
        closed_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        expected_cents -> Nullable<BigInt>,
        counted_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    cheque_sales (id) {
        id -> BigInt,
        channel -> Text,
        cash_session_id -> Nullable<BigInt>,
        resident_id -> BigInt,
        sold_by -> Nullable<BigInt>,
        product_id -> BigInt,
        quantity -> BigInt,
        tariff -> Text,
        unit_price_cents -> BigInt,
        total_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cheques (id) {
        id -> BigInt,
        serial -> Text,
        sale_id -> BigInt,
        product_id -> BigInt,
        owner_resident_id -> BigInt,
        face_minutes -> BigInt,
        tariff -> Text,
        price_cents -> BigInt,
        subsidy_cents -> BigInt,
        status -> Text,
        valid_until -> Date,
        redeemed_job_id -> Nullable<BigInt>,
        status_changed_at -> Timestamp,
        created_at -> Timestamp,
        municipality -> Text,
        subsidy_claim -> Text,
    }
}

diesel::table! {
    cash_payouts (id) {
        id -> BigInt,
        cash_session_id -> BigInt,
        cheque_id -> BigInt,
        amount_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cheque_events (id) {
        id -> BigInt,
        cheque_id -> BigInt,
        action -> Text,
        reason -> Text,
        actor_user_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::table! {
    subsidy_claims (id) {
        id -> BigInt,
        cheque_id -> BigInt,
        municipality -> Text,
        claimed_on -> Date,
        event -> Text,
        amount_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    institutions (id) {
        id -> BigInt,
        name -> Text,
        hourly_rate_cents -> BigInt,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    institution_charges (id) {
        id -> BigInt,
        job_id -> BigInt,
        institution_id -> BigInt,
        charged_on -> Date,
        minutes -> BigInt,
        hourly_rate_cents -> BigInt,
        amount_cents -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    checkouts (id) {
        id -> BigInt,
        reference -> Text,
        stripe_session_id -> Text,
        resident_id -> BigInt,
        ordered_by -> BigInt,
        product_id -> BigInt,
        quantity -> BigInt,
        tariff -> Text,
        unit_price_cents -> BigInt,
        subsidy_cents -> BigInt,
        total_cents -> BigInt,
        status -> Text,
        payment_intent -> Nullable<Text>,
        sale_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        payable_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    stripe_events (id) {
        id -> BigInt,
        event_id -> Text,
        event_type -> Text,
        object_id -> Nullable<Text>,
        amount_cents -> Nullable<BigInt>,
        outcome -> Text,
        received_at -> Timestamp,
        unbooked_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    stripe_refunds (id) {
        id -> BigInt,
        cheque_id -> BigInt,
        checkout_id -> BigInt,
        amount_cents -> BigInt,
        refund_id -> Nullable<Text>,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stripe_refund_settlements (id) {
        id -> BigInt,
        charge_id -> Text,
        report_id -> BigInt,
        amount_cents -> BigInt,
        entry_id -> Nullable<BigInt>,
        note -> Text,
        settled_by -> BigInt,
        settled_at -> Timestamp,
    }
}

diesel::table! {
    stripe_payouts (id) {
        id -> BigInt,
        payout_id -> Text,
        amount_cents -> BigInt,
        arrival_date -> Date,
        created_at -> Timestamp,
        fee_cents -> BigInt,
        lines_net_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    stripe_payout_lines (id) {
        id -> BigInt,
        payout_id -> Text,
        transaction_id -> Text,
        kind -> Text,
        amount_cents -> BigInt,
        fee_cents -> BigInt,
        net_cents -> BigInt,
        payment_intent -> Nullable<Text>,
        checkout_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    closed_periods (month) {
        month -> Text,
        closed_by -> BigInt,
        closed_at -> Timestamp,
    }
}

diesel::table! {
    service_targets (month) {
        month -> Text,
        klus_minutes -> BigInt,
        dienst_minutes -> BigInt,
        income_cents -> BigInt,
        set_by -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    closed_period_totals (month, account, kind) {
        month -> Text,
        account -> Text,
        kind -> Text,
        amount_cents -> BigInt,
    }
}

diesel::table! {
    period_events (id) {
        id -> BigInt,
        month -> Text,
        action -> Text,
        reason -> Nullable<Text>,
        actor_user_id -> BigInt,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_user_id -> Nullable<BigInt>,
        subject_kind -> Text,
        subject_id -> Nullable<BigInt>,
        action -> Text,
        operation -> Text,
        status -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    job_series (id) {
        id -> BigInt,
        recipient_id -> BigInt,
        requester_user_id -> BigInt,
        service_id -> BigInt,
        channel -> Text,
        description -> Text,
        estimated_minutes -> Nullable<BigInt>,
        weekday -> BigInt,
        dagdeel -> Text,
        every_weeks -> BigInt,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        stopped_at -> Nullable<Timestamp>,
        stop_reason -> Nullable<Text>,
        created_at -> Timestamp,
        institution_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    job_series_visits (series_id, on_date) {
        series_id -> BigInt,
        on_date -> Date,
        job_id -> BigInt,
    }
}

diesel::table! {
    job_feedback (id) {
        id -> BigInt,
        job_id -> BigInt,
        kind -> Text,
        message -> Text,
        given_by -> BigInt,
        created_at -> Timestamp,
        handled_at -> Nullable<Timestamp>,
        handled_by -> Nullable<BigInt>,
        handled_note -> Nullable<Text>,
        handled_reply -> Nullable<Text>,
    }
}

diesel::joinable!(journal_lines -> journal_entries (entry_id));
diesel::joinable!(trajectory_plans -> trajectories (trajectory_id));
diesel::joinable!(progress_reviews -> trajectories (trajectory_id));
diesel::joinable!(buddy_volunteers -> participants (participant_id));
diesel::joinable!(approval_requests -> trajectories (trajectory_id));
diesel::joinable!(subsidy_claims -> cheques (cheque_id));
diesel::joinable!(cheques -> residents (owner_resident_id));
diesel::joinable!(institution_charges -> institutions (institution_id));
diesel::joinable!(institution_charges -> jobs (job_id));
diesel::joinable!(on_call_shifts -> users (user_id));
diesel::joinable!(resident_keys -> residents (resident_id));
diesel::joinable!(ramp_up_steps -> participants (participant_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(service_versions -> services (service_id));
diesel::joinable!(jobs -> residents (recipient_id));
diesel::joinable!(jobs -> service_versions (service_version_id));
diesel::joinable!(job_windows -> jobs (job_id));
diesel::joinable!(job_events -> jobs (job_id));
diesel::joinable!(participant_availability -> participants (participant_id));
diesel::joinable!(participant_absences -> participants (participant_id));
diesel::joinable!(trajectories -> participants (participant_id));
diesel::joinable!(preferred_participants -> participants (participant_id));
diesel::joinable!(assignment_members -> assignments (assignment_id));
diesel::joinable!(assignments -> jobs (job_id));
diesel::joinable!(job_feedback -> jobs (job_id));
diesel::joinable!(job_series_visits -> job_series (series_id));
diesel::joinable!(job_series_visits -> jobs (job_id));
diesel::joinable!(proposal_lines -> planning_proposals (proposal_id));
diesel::joinable!(user_tokens -> users (user_id));
diesel::joinable!(call_tasks -> jobs (job_id));
diesel::joinable!(call_tasks -> residents (resident_id));
diesel::joinable!(eligibility_periods -> residents (resident_id));
diesel::joinable!(resident_proxies -> residents (resident_id));
diesel::joinable!(resident_duplicates -> residents (known_id));

diesel::allow_tables_to_appear_in_same_query!(
    trajectory_plans,
    resident_keys,
    ramp_up_steps,
    approval_requests,
    intake_slots,
    on_call_shifts,
    progress_reviews,
    buddy_volunteers,
    buddies,
    stripe_refund_settlements,
    users,
    refresh_tokens,
    residents,
    eligibility_periods,
    resident_proxies,
    resident_duplicates,
    user_tokens,
    registrations,
    login_failures,
    outbox,
    call_tasks,
    services,
    service_versions,
    jobs,
    job_windows,
    job_events,
    job_series,
    job_series_visits,
    job_feedback,
    idempotency_keys,
    participants,
    participant_availability,
    participant_absences,
    closed_days,
    clearance_changes,
    do_not_pair,
    trajectories,
    preferred_participants,
    assignments,
    assignment_members,
    planning_proposals,
    proposal_lines,
    attendance,
    sent_reminders,
    work_logs,
    bonus_rates,
    bonus_statements,
    journal_entries,
    journal_lines,
    cheque_products,
    cheque_prices,
    cash_sessions,
    cheque_sales,
    cheques,
    cheque_events,
    cash_payouts,
    subsidy_claims,
    institutions,
    institution_charges,
    checkouts,
    stripe_events,
    stripe_refunds,
    stripe_payouts,
    stripe_payout_lines,
    closed_periods,
    service_targets,
    closed_period_totals,
    period_events,
    audit_log
);
