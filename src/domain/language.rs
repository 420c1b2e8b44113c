use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The language a person is written to in: Dutch by default, English on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Nl,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// Reads the stored form; anything unknown falls back to Dutch.
    pub fn from_stored(s: &str) -> Self {
        match s {
            "en" => Language::En,
            _ => Language::Nl,
        }
    }
}
