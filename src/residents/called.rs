//! What a participant is told to call the resident they work for (pure).
//!
//! Participants see the first name only. But many older residents give their name at the
//! counter or on the phone without one: "Mevrouw Bakker", "Dhr. J. de Vries", "J.H.
//! Jansen". Their first word is a title or an initial, and "Mevrouw" or "J." alone tells
//! a participant at the door nothing; for them the name is used as it was recorded, which
//! is what is on the door. So is a name recorded surname first ("van Dam", "De Vries").

/// Titles a name may begin with, in lower case without their full stop.
const TITLES: [&str; 22] = [
    "mevrouw",
    "mevr",
    "mw",
    "mvr",
    "mej",
    "mejuffrouw",
    "meneer",
    "mijnheer",
    "mnr",
    "dhr",
    "heer",
    "familie",
    "fam",
    "wed",
    "weduwe",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "drs",
    "ir",
];

/// Words a surname begins with (tussenvoegsels), in lower case: a name that starts with
/// one starts with the surname ("de heer" too).
const PARTICLES: [&str; 14] = [
    "de", "den", "der", "van", "von", "ten", "ter", "te", "'t", "het", "in", "op", "la", "le",
];

/// How a participant calls the resident named `name`: the first name, or the whole name
/// as recorded when it does not start with one (a title, an initial or the surname).
pub fn called(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.first() else {
        return String::new();
    };
    let bare = first.trim_end_matches('.').to_lowercase();
    if TITLES.contains(&bare.as_str()) || PARTICLES.contains(&bare.as_str()) || is_initials(first) {
        words.join(" ")
    } else {
        (*first).to_owned()
    }
}

/// "J", "J." or "J.H.": letters that each stand for a name.
fn is_initials(word: &str) -> bool {
    let letters = word.chars().filter(|c| *c != '.').count();
    let dotted = word
        .split('.')
        .filter(|part| !part.is_empty())
        .all(|part| part.chars().count() == 1);
    (letters == 1 && word.chars().next().is_some_and(char::is_alphabetic))
        || (letters > 1 && word.ends_with('.') && dotted)
}

#[cfg(test)]
mod tests {
    use super::called;

    #[test]
    fn a_first_name_is_all_a_participant_is_told() {
        assert_eq!(called("Anna de Wit"), "Anna");
        assert_eq!(called("  Henk   Zandberg "), "Henk");
        assert_eq!(called("Jan-Willem van Dam"), "Jan-Willem");
        assert_eq!(called("Dirk"), "Dirk");
        // Names that merely begin like a title or an initial are first names.
        assert_eq!(called("Mr.Jansen"), "Mr.Jansen");
        assert_eq!(called("Mia Jansen"), "Mia");
        assert_eq!(called("Jo Bakker"), "Jo");
        assert_eq!(called("Dewi de Heer"), "Dewi");
        assert_eq!(called("Dean Vermeer"), "Dean");
        assert_eq!(called("Tess ter Horst"), "Tess");
    }

    #[test]
    fn a_name_recorded_without_a_first_name_is_used_whole() {
        assert_eq!(called("Mevrouw Bakker"), "Mevrouw Bakker");
        assert_eq!(called("mevr. Bakker"), "mevr. Bakker");
        assert_eq!(called("Mw. Bakker-de Jong"), "Mw. Bakker-de Jong");
        assert_eq!(called("Dhr.  J. de Vries"), "Dhr. J. de Vries");
        assert_eq!(called("De heer Jansen"), "De heer Jansen");
        assert_eq!(called("Familie El Amrani"), "Familie El Amrani");
        assert_eq!(called("Meneer Pieters"), "Meneer Pieters");
        assert_eq!(called("Mrs Smith"), "Mrs Smith");
        assert_eq!(called("van Dam"), "van Dam");
        assert_eq!(called("De Vries"), "De Vries");
        assert_eq!(called("'t Hart"), "'t Hart");
    }

    #[test]
    fn initials_are_not_a_first_name() {
        assert_eq!(called("J.H. Jansen"), "J.H. Jansen");
        assert_eq!(called("J. de Vries"), "J. de Vries");
        assert_eq!(called("J Jansen"), "J Jansen");
        assert_eq!(called("A.B.C. van der Berg"), "A.B.C. van der Berg");
    }

    #[test]
    fn no_name_is_no_name() {
        assert_eq!(called(""), "");
        assert_eq!(called("   "), "");
    }
}
