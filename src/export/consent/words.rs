//! The words of the consent banners that a site file does not hold (titles, buttons, column
//! headers, what each group of cookies is for), in French and English. Other languages get
//! English, as the policy templates do; the cookies' own texts always come from the site file.

use crate::model::Category;

pub struct Words {
    pub banner_title: &'static str,
    /// Before the link to the policy; `{site}` is the portal's name.
    pub banner_text: &'static str,
    pub policy_link: &'static str,
    pub accept_all: &'static str,
    pub reject_all: &'static str,
    pub choose: &'static str,
    pub save: &'static str,
    pub close: &'static str,
    pub preferences_title: &'static str,
    pub your_choices: &'static str,
    pub more_info: &'static str,
    /// `{controller}` is who is responsible for the processing.
    pub controller_text: &'static str,
    pub contact: &'static str,
    pub name: &'static str,
    pub provider: &'static str,
    pub duration: &'static str,
    /// Before a duration in a sentence: "Duration:", "Durée :".
    pub duration_is: &'static str,
    pub purpose: &'static str,
    pub purposes: &'static str,
    pub not_stated: &'static str,
    pub services: &'static str,
    /// Introduces the list of cookies that are always on (tarteaucitron's mandatory line).
    pub always_on: &'static str,
    pub local_storage: &'static str,
    pub session_storage: &'static str,
    pub pixel: &'static str,
}

const EN: Words = Words {
    banner_title: "Cookies on {site}",
    banner_text: "We use cookies and similar storage on this site. Those that are strictly necessary are always on; the others only with your consent, which you can change at any time.",
    policy_link: "Read our cookie policy",
    accept_all: "Accept all",
    reject_all: "Reject all",
    choose: "Let me choose",
    save: "Save my choices",
    close: "Close",
    preferences_title: "Cookie preferences",
    your_choices: "Your choices",
    more_info: "More information",
    controller_text: "These cookies are used by {controller}.",
    contact: "Contact",
    name: "Name",
    provider: "Provider",
    duration: "Duration",
    duration_is: "Duration:",
    purpose: "Purpose",
    purposes: "Purposes",
    not_stated: "not stated",
    services: "Service|Services",
    always_on: "These cookies are needed for the site to work and cannot be turned off:",
    local_storage: "localStorage",
    session_storage: "sessionStorage",
    pixel: "pixel",
};

const FR: Words = Words {
    banner_title: "Les cookies de {site}",
    banner_text: "Nous utilisons des cookies et des traceurs similaires sur ce site. Ceux qui sont strictement nécessaires sont toujours actifs ; les autres seulement avec votre consentement, que vous pouvez modifier à tout moment.",
    policy_link: "Lire notre politique de cookies",
    accept_all: "Tout accepter",
    reject_all: "Tout refuser",
    choose: "Personnaliser",
    save: "Enregistrer mes choix",
    close: "Fermer",
    preferences_title: "Préférences en matière de cookies",
    your_choices: "Vos choix",
    more_info: "Plus d'informations",
    controller_text: "Ces cookies sont utilisés par {controller}.",
    contact: "Contact",
    name: "Nom",
    provider: "Fournisseur",
    duration: "Durée",
    // A no-break space keeps the colon with its word, as French typography wants.
    duration_is: "Durée\u{a0}:",
    purpose: "Finalité",
    purposes: "Finalités",
    not_stated: "non précisée",
    services: "Service|Services",
    always_on: "Ces cookies sont nécessaires au fonctionnement du site et ne peuvent pas être désactivés\u{a0}:",
    local_storage: "localStorage",
    session_storage: "sessionStorage",
    pixel: "pixel",
};

/// The words for `lang`: French, else English.
pub fn words(lang: &str) -> &'static Words {
    if lang == "fr" { &FR } else { &EN }
}

/// What a group of cookies is called and what it is for, in `lang` (French, else English).
/// `exempt` is the group of cookies that need no consent, whatever their category.
pub fn group_text(category: Category, exempt: bool, lang: &str) -> (&'static str, &'static str) {
    let fr = lang == "fr";
    match (exempt, category, fr) {
        (true, _, false) => (
            "Strictly necessary",
            "Needed for the site to work, or exempt from consent. They are always on.",
        ),
        (true, _, true) => (
            "Strictement nécessaires",
            "Nécessaires au fonctionnement du site, ou exemptés de consentement. Ils sont toujours actifs.",
        ),
        (false, Category::Necessary, false) => (
            "Necessary, with your consent",
            "Needed for parts of the site; set only if you agree.",
        ),
        (false, Category::Necessary, true) => (
            "Nécessaires, avec votre accord",
            "Nécessaires à certaines parties du site ; déposés seulement si vous l'acceptez.",
        ),
        (false, Category::Preferences, false) => {
            ("Preferences", "Remember your settings on the site.")
        }
        (false, Category::Preferences, true) => {
            ("Préférences", "Mémorisent vos réglages sur le site.")
        }
        (false, Category::Statistics, false) => (
            "Audience measurement",
            "Count visits and see how the site is used, to improve it.",
        ),
        (false, Category::Statistics, true) => (
            "Mesure d'audience",
            "Comptent les visites et montrent comment le site est utilisé, pour l'améliorer.",
        ),
        (false, Category::Marketing, false) => (
            "Marketing",
            "Used for advertising and to measure it, possibly across sites.",
        ),
        (false, Category::Marketing, true) => (
            "Marketing",
            "Servent à la publicité et à mesurer son efficacité, éventuellement d'un site à l'autre.",
        ),
        (false, Category::Security, false) => ("Security", "Protect the site and your account."),
        (false, Category::Security, true) => ("Sécurité", "Protègent le site et votre compte."),
        (false, Category::Unclassified, false) => (
            "Other",
            "Cookies whose purpose the site has not classified yet.",
        ),
        (false, Category::Unclassified, true) => (
            "Autres",
            "Cookies dont le site n'a pas encore classé la finalité.",
        ),
    }
}
