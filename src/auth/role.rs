use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a user is to the servicepunt. See DESIGN.md §2 for what each may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A wijkbewoner, or a family member acting as their proxy.
    Resident,
    /// A deelnemer in a re-integration trajectory who does the work.
    Participant,
    /// Plans and supervises the work at the servicepunt every day.
    Werkleider,
    /// Coaches participants through their trajectory.
    Trajectbegeleider,
    /// The finance desk and the counter.
    Finance,
    /// Runs the project; may do everything.
    Coordinator,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Resident,
        Role::Participant,
        Role::Werkleider,
        Role::Trajectbegeleider,
        Role::Finance,
        Role::Coordinator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Participant => "participant",
            Role::Werkleider => "werkleider",
            Role::Trajectbegeleider => "trajectbegeleider",
            Role::Finance => "finance",
            Role::Coordinator => "coordinator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?}; expected one of resident, participant, werkleider, trajectbegeleider, finance, coordinator"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("admin".parse::<Role>().is_err());
    }
}
