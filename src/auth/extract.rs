//! Extractors that authenticate a request and, with [`RequireRole`], authorise it by role.
//!
//! `RequireRole<Staff>` in a handler's signature says who may call it; the coordinator may
//! always (DESIGN.md §2: "everything above").

use std::future::{Ready, ready};
use std::marker::PhantomData;
use std::ops::Deref;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::verified_tokens::Verified;
use super::{AuthState, Role};
use crate::error::ApiError;

/// The authenticated caller, from a valid bearer access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthUser {
    pub id: i64,
    pub role: Role,
}

impl AuthUser {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    pub fn is_any(&self, roles: &[Role]) -> bool {
        self.role == Role::Coordinator || roles.contains(&self.role)
    }
}

/// The token of an `Authorization: Bearer …` header: 401 `unauthenticated` without the
/// header, `invalid_token` with another scheme.
pub fn bearer(req: &HttpRequest) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?;
    let value = value.to_str().map_err(|_| ApiError::InvalidToken)?;
    Ok(value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or(ApiError::InvalidToken)?
        .trim())
}

pub fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<AuthState>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("AuthState missing from app data")))?;
    let token = bearer(req)?;
    let now = super::jwt::unix_now();
    let verified = match state.verified.get(token, now) {
        Some(verified) => verified,
        None => {
            let claims = state.jwt.keys.verify(token).ok_or(ApiError::InvalidToken)?;
            let verified = Verified::of(claims).ok_or(ApiError::InvalidToken)?;
            state.verified.keep(token, verified.clone(), now);
            verified
        }
    };
    if state.revocations.is_revoked(&verified.sid) {
        return Err(ApiError::InvalidToken);
    }
    Ok(verified.user)
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// A set of roles allowed to call a handler.
pub trait RolePolicy {
    const ROLES: &'static [Role];
}

/// The caller, known to hold one of `P::ROLES` (or to be the coordinator).
#[derive(Debug)]
pub struct RequireRole<P: RolePolicy> {
    pub user: AuthUser,
    _policy: PhantomData<P>,
}

impl<P: RolePolicy> Deref for RequireRole<P> {
    type Target = AuthUser;

    fn deref(&self) -> &AuthUser {
        &self.user
    }
}

impl<P: RolePolicy> FromRequest for RequireRole<P> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req).and_then(|user| {
            if user.is_any(P::ROLES) {
                Ok(RequireRole {
                    user,
                    _policy: PhantomData,
                })
            } else {
                Err(ApiError::Forbidden)
            }
        }))
    }
}

macro_rules! policy {
    ($(#[$doc:meta])* $name:ident => [$($role:ident),*]) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name;
        impl RolePolicy for $name {
            const ROLES: &'static [Role] = &[$(Role::$role),*];
        }
    };
}

policy!(
    /// Every staff role (not residents or participants).
    AllStaff => [Werkleider, Trajectbegeleider, Finance, Coordinator]
);
policy!(
    /// Staff who deal with residents: the werkleider, the finance desk, the coordinator.
    ResidentDesk => [Werkleider, Finance, Coordinator]
);
policy!(
    /// Staff who may record a reduced-rate entitlement after seeing the evidence.
    EligibilityDesk => [Werkleider, Finance, Coordinator]
);
policy!(
    /// Who works through the call sheet: the werkleider (and the coordinator).
    CallSheetDesk => [Werkleider, Coordinator]
);
policy!(
    /// Who triages and plans jobs: the werkleider (and the coordinator).
    JobTriage => [Werkleider, Coordinator]
);
policy!(
    /// Who manages participants' work profiles: the werkleider (and the coordinator).
    ParticipantDesk => [Werkleider, Coordinator]
);
policy!(
    /// Who reads participants: werkleiders, coaches (their own caseload) and the coordinator.
    ParticipantReaders => [Werkleider, Trajectbegeleider, Coordinator]
);
policy!(
    /// Who reads the on-call rota: the werkleiders who keep it, and the coaches who may be
    /// on it (and the coordinator).
    OnCallReaders => [Werkleider, Trajectbegeleider, Coordinator]
);
policy!(
    /// Who manages trajectories: coaches (their own caseload) and the coordinator.
    TrajectoryDesk => [Trajectbegeleider, Coordinator]
);
policy!(
    /// A participant's own account.
    ParticipantAccount => [Participant]
);
policy!(
    /// The finance desk (and the coordinator).
    FinanceDesk => [Finance, Coordinator]
);
policy!(
    /// Who logs worked time: participants their own, werkleiders anyone's.
    WorkLoggers => [Participant, Werkleider, Coordinator]
);
policy!(
    /// Who gives and reads feedback on a job: the resident (their own jobs) and the
    /// werkleiders, who take it down by phone (and the coordinator).
    FeedbackDesk => [Resident, Werkleider]
);
policy!(
    /// The coordinator alone.
    CoordinatorOnly => [Coordinator]
);
policy!(
    /// A resident's own account (residents and family members acting as proxy).
    ResidentAccount => [Resident]
);
