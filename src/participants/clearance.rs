//! How far a participant may work alone: a new participant always goes with a cleared
//! colleague; `solo_klus` may do klussen alone; `solo_dienst` also diensten at someone's
//! home that need solo clearance; an `onboarder` takes new participants along.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Clearance {
    New,
    SoloKlus,
    SoloDienst,
    Onboarder,
}

impl Clearance {
    pub fn as_str(self) -> &'static str {
        match self {
            Clearance::New => "new",
            Clearance::SoloKlus => "solo_klus",
            Clearance::SoloDienst => "solo_dienst",
            Clearance::Onboarder => "onboarder",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::New, Self::SoloKlus, Self::SoloDienst, Self::Onboarder]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// The clearance someone in the crew must have for a job: `solo_dienst` for a dienst
    /// that needs solo clearance, `solo_klus` otherwise.
    pub fn needed(is_dienst: bool, needs_solo_clearance: bool) -> Clearance {
        if is_dienst && needs_solo_clearance {
            Clearance::SoloDienst
        } else {
            Clearance::SoloKlus
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_from_new_to_onboarder() {
        assert!(Clearance::New < Clearance::SoloKlus && Clearance::SoloDienst < Clearance::Onboarder);
        assert_eq!(Clearance::needed(true, true), Clearance::SoloDienst);
        assert_eq!(Clearance::needed(true, false), Clearance::SoloKlus);
        assert_eq!(Clearance::needed(false, true), Clearance::SoloKlus);
        for c in [
            Clearance::New,
            Clearance::SoloKlus,
            Clearance::SoloDienst,
            Clearance::Onboarder,
        ] {
            assert_eq!(Clearance::parse(c.as_str()), Some(c));
        }
    }
}
