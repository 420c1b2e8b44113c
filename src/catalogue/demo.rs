//! A realistic catalogue for `servicepunt demo`: what Service voor de Wijk offers.

use super::input::ServiceTerms;
use super::model::{Localized, ServiceKind};

fn t(nl: &str, en: &str) -> Localized {
    Localized {
        nl: nl.into(),
        en: en.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn service(
    kind: ServiceKind,
    category: &str,
    name: Localized,
    description: Localized,
    around_home: bool,
    skill: Option<&str>,
    solo: bool,
    (default_minutes, max_minutes): (i64, i64),
    min_crew: i64,
) -> ServiceTerms {
    ServiceTerms {
        kind,
        category: category.into(),
        name,
        description,
        around_home,
        allowed: true,
        not_allowed_reason: None,
        required_skill: skill.map(str::to_owned),
        needs_solo_clearance: solo,
        default_minutes,
        max_minutes,
        min_crew,
        bill_per_person: false,
    }
}

pub fn catalogue() -> Vec<ServiceTerms> {
    use ServiceKind::{Dienst, Klus};
    let mut list = vec![
        service(
            Klus,
            "tuin",
            t("Tuinonderhoud", "Garden maintenance"),
            t(
                "Onkruid wieden, blad harken, gras maaien en de tuin netjes maken.",
                "Weeding, raking leaves, mowing and tidying the garden.",
            ),
            true,
            Some("tuinieren"),
            false,
            (120, 300),
            1,
        ),
        service(
            Klus,
            "tuin",
            t("Heg snoeien", "Hedge trimming"),
            t(
                "De heg knippen en het snoeiafval opruimen.",
                "Trimming the hedge and clearing the cuttings.",
            ),
            true,
            Some("tuinieren"),
            false,
            (150, 300),
            2,
        ),
        service(
            Klus,
            "huis",
            t("Klein klusje in huis", "Small job in the house"),
            t(
                "Een lamp ophangen, een gordijnrail vastzetten, een kastje in elkaar zetten.",
                "Hanging a lamp, fixing a curtain rail, assembling a cupboard.",
            ),
            true,
            Some("klussen"),
            false,
            (60, 180),
            1,
        ),
        service(
            Klus,
            "huis",
            t("Ramen wassen (binnen)", "Window cleaning (inside)"),
            t(
                "De ramen aan de binnenkant wassen.",
                "Cleaning the windows on the inside.",
            ),
            true,
            None,
            false,
            (90, 180),
            1,
        ),
        service(
            Dienst,
            "boodschappen",
            t("Boodschappenhulp", "Help with groceries"),
            t(
                "Samen boodschappen doen, of ze voor u halen.",
                "Doing the shopping together, or fetching it for you.",
            ),
            false,
            None,
            true,
            (90, 180),
            1,
        ),
        service(
            Dienst,
            "gezelschap",
            t("Gezelschap", "Company"),
            t(
                "Een middagje gezelschap: een kopje koffie, een wandeling, een spelletje.",
                "An afternoon of company: a coffee, a walk, a game.",
            ),
            false,
            None,
            true,
            (120, 240),
            1,
        ),
        service(
            Dienst,
            "begeleiding",
            t("Begeleiding naar afspraak", "Accompanying to an appointment"),
            t(
                "Mee naar de huisarts, het ziekenhuis of de kapper.",
                "Going along to the GP, the hospital or the hairdresser.",
            ),
            false,
            None,
            true,
            (120, 240),
            1,
        ),
        service(
            Dienst,
            "huishouden",
            t("Hulp in het huishouden", "Help around the house"),
            t(
                "Opruimen, stofzuigen, de was opvouwen.",
                "Tidying, vacuuming, folding the laundry.",
            ),
            true,
            None,
            true,
            (120, 240),
            1,
        ),
    ];
    let mut painting = service(
        Klus,
        "huis",
        t("Schilderwerk", "Painting"),
        t("Binnen- of buitenschilderwerk.", "Indoor or outdoor painting."),
        true,
        None,
        false,
        (240, 300),
        1,
    );
    painting.allowed = false;
    painting.not_allowed_reason = Some(t(
        "Schilderwerk laten we aan de schilders in de wijk: daarover zijn afspraken met de lokale ondernemers.",
        "Painting is left to local painters: this was agreed with local businesses.",
    ));
    list.push(painting);
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalogue_passes_its_own_rules() {
        for terms in catalogue() {
            let name = terms.name.nl.clone();
            assert!(terms.validate(|_| 300).is_ok(), "{name}");
        }
    }
}
