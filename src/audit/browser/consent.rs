//! Finding the consent banner and answering it: built-in rules for common consent managers
//! (their own element ids and classes), a site's own selectors, and a generic rule that reads
//! the text of visible buttons and links in six languages.

use serde::{Deserialize, Serialize};

use crate::model::ConsentSelectors;

/// A consent manager's banner: what shows it is there, and its accept-all and reject-all
/// controls at the first layer.
#[derive(Clone, Debug, Serialize)]
pub struct Rule {
    pub manager: &'static str,
    pub banner: &'static str,
    pub accept: &'static str,
    pub reject: &'static str,
}

/// The managers recognised by their markup.
pub const RULES: &[Rule] = &[
    Rule {
        manager: "Klaro",
        banner: ".klaro .cookie-notice, .klaro .cookie-modal",
        accept: ".klaro .cm-btn-accept-all, .klaro .cn-ok .cm-btn-success, .klaro .cm-btn-success",
        reject: ".klaro .cn-decline, .klaro .cm-btn-decline",
    },
    Rule {
        manager: "CookieConsent (orestbida)",
        banner: "#cc-main .cm, #cc_div #cm",
        accept: "#cc-main .cm [data-role=\"all\"], #cc_div #c-p-bn",
        reject: "#cc-main .cm [data-role=\"necessary\"], #cc_div #c-s-bn",
    },
    Rule {
        manager: "tarteaucitron",
        banner: "#tarteaucitronRoot #tarteaucitronAlertBig, #tarteaucitronRoot",
        accept: "#tarteaucitronPersonalize2, #tarteaucitronAllAllowed",
        reject: "#tarteaucitronAllDenied2, #tarteaucitronAllDenied",
    },
    Rule {
        manager: "OneTrust",
        banner: "#onetrust-banner-sdk, #onetrust-consent-sdk",
        accept: "#onetrust-accept-btn-handler",
        reject: "#onetrust-reject-all-handler",
    },
    Rule {
        manager: "Cookiebot",
        banner: "#CybotCookiebotDialog",
        accept: "#CybotCookiebotDialogBodyLevelButtonLevelOptinAllowAll, #CybotCookiebotDialogBodyButtonAccept",
        reject: "#CybotCookiebotDialogBodyButtonDecline",
    },
    Rule {
        manager: "Didomi",
        banner: "#didomi-notice, #didomi-host .didomi-popup-container",
        accept: "#didomi-notice-agree-button",
        reject: "#didomi-notice-disagree-button, .didomi-continue-without-agreeing",
    },
    Rule {
        manager: "Axeptio",
        banner: "#axeptio_overlay .axeptio_widget, #axeptio_overlay",
        accept: "#axeptio_btn_acceptAll",
        reject: "#axeptio_btn_dismiss",
    },
];

/// Whole texts (lower case, spaces collapsed, end punctuation dropped) of a control that
/// accepts everything, in English, French, German, Spanish, Italian and Dutch.
pub const ACCEPT_TEXTS: &[&str] = &[
    "accept",
    "accept all",
    "accept all cookies",
    "accept cookies",
    "allow all",
    "allow all cookies",
    "i accept",
    "i agree",
    "agree",
    "agree and close",
    "accept and close",
    "tout accepter",
    "accepter",
    "accepter tout",
    "accepter et fermer",
    "j'accepte",
    "j’accepte",
    "accepter les cookies",
    "tout autoriser",
    "ok pour moi",
    "alle akzeptieren",
    "akzeptieren",
    "alle annehmen",
    "annehmen",
    "zustimmen",
    "allen zustimmen",
    "alle zulassen",
    "einverstanden",
    "alle cookies akzeptieren",
    "aceptar",
    "aceptar todo",
    "aceptar todas",
    "aceptar cookies",
    "acepto",
    "aceptar todas las cookies",
    "permitir todas",
    "accetta",
    "accetta tutto",
    "accetta tutti",
    "accetto",
    "accetta tutti i cookie",
    "consenti tutti",
    "accepteren",
    "alles accepteren",
    "alle cookies accepteren",
    "akkoord",
    "alles toestaan",
    "cookies accepteren",
    "ik ga akkoord",
];

/// Whole texts of a control that refuses everything not strictly necessary.
pub const REJECT_TEXTS: &[&str] = &[
    "reject",
    "reject all",
    "reject all cookies",
    "decline",
    "decline all",
    "refuse",
    "refuse all",
    "deny",
    "deny all",
    "continue without accepting",
    "necessary only",
    "only necessary",
    "only necessary cookies",
    "use necessary cookies only",
    "tout refuser",
    "refuser",
    "refuser tout",
    "je refuse",
    "continuer sans accepter",
    "refuser les cookies",
    "non merci",
    "alle ablehnen",
    "ablehnen",
    "nur notwendige",
    "nur notwendige cookies",
    "weiter ohne einwilligung",
    "nur erforderliche cookies",
    "rechazar",
    "rechazar todo",
    "rechazar todas",
    "continuar sin aceptar",
    "rechazar todas las cookies",
    "solo necesarias",
    "rifiuta",
    "rifiuta tutto",
    "rifiuta tutti",
    "continua senza accettare",
    "solo necessari",
    "weigeren",
    "alles weigeren",
    "alle cookies weigeren",
    "alleen noodzakelijke",
    "alleen noodzakelijke cookies",
    "doorgaan zonder te accepteren",
];

/// The selectors a site file names for its banner (`consent: (accept: …, reject: …)`).
pub fn site_selectors(site: &crate::model::Site) -> Option<&ConsentSelectors> {
    site.consent.as_ref()
}

/// What to do with the banner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Only look.
    None,
    Accept,
    Reject,
}

/// What the page script found and did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Outcome {
    pub found: bool,
    /// The rule that recognised the banner: a manager's name, "site selectors" or "generic".
    pub rule: Option<String>,
    /// How the accept and reject controls were found, when visible.
    pub accept: Option<String>,
    pub reject: Option<String>,
    /// `accept` or `reject` when a control was clicked.
    pub clicked: Option<String>,
}

impl Outcome {
    /// The report's `how`: which rule found what, and what was clicked or why nothing was.
    pub fn how(&self, action: Action) -> String {
        let Some(rule) = &self.rule else {
            return "no consent banner found (built-in rules, generic accept/reject texts)".into();
        };
        let offered = |what: &Option<String>| what.clone().unwrap_or_else(|| "none".into());
        let mut how = format!(
            "{rule}: accept {}, reject {}",
            offered(&self.accept),
            offered(&self.reject)
        );
        match (action, self.clicked.as_deref()) {
            (Action::None, _) => {}
            (_, Some(clicked)) => how.push_str(&format!("; clicked {clicked}")),
            (Action::Accept, None) => how.push_str("; no accept control to click"),
            (Action::Reject, None) => {
                how.push_str("; no reject control at the first layer, nothing clicked")
            }
        }
        how
    }
}

/// The expression that looks for the banner in a document and, as asked, clicks a control.
pub fn script(action: Action, site: Option<&ConsentSelectors>) -> String {
    #[derive(Serialize)]
    struct Args<'a> {
        action: Action,
        rules: &'static [Rule],
        site: Option<&'a ConsentSelectors>,
        accept: &'static [&'static str],
        reject: &'static [&'static str],
    }
    let args = Args {
        action,
        rules: RULES,
        site,
        accept: ACCEPT_TEXTS,
        reject: REJECT_TEXTS,
    };
    let json = serde_json::to_string(&args).unwrap_or_else(|_| "{}".into());
    format!("({FIND_AND_CLICK})({json})")
}

const FIND_AND_CLICK: &str = r#"function (a) {
  const visible = (el) => {
    if (!el || !el.isConnected) return false;
    const s = getComputedStyle(el);
    if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const first = (sel) => {
    if (!sel) return null;
    let list;
    try { list = document.querySelectorAll(sel); } catch (e) { return null; }
    for (const el of list) if (visible(el)) return el;
    return null;
  };
  const norm = (t) => (t || '').replace(/\s+/g, ' ').trim().toLowerCase().replace(/[\s.!×✕✖>›»]+$/u, '').trim();
  const out = { found: false, rule: null, accept: null, reject: null, clicked: null };
  let acc = null, rej = null;
  if (a.site && (a.site.accept || a.site.reject)) {
    acc = first(a.site.accept); rej = first(a.site.reject);
    if (acc || rej) {
      out.rule = 'site selectors';
      if (acc) out.accept = a.site.accept;
      if (rej) out.reject = a.site.reject;
    }
  }
  if (!out.rule) for (const r of a.rules) {
    const banner = first(r.banner);
    const ra = first(r.accept), rr = first(r.reject);
    if (banner || ra || rr) {
      if (!ra && !rr) continue;
      out.rule = r.manager; acc = ra; rej = rr;
      if (ra) out.accept = r.accept.split(',')[0].trim();
      if (rr) out.reject = r.reject.split(',')[0].trim();
      break;
    }
  }
  if (!out.rule) {
    const controls = document.querySelectorAll('button, a, [role="button"], input[type="button"], input[type="submit"]');
    let n = 0;
    for (const el of controls) {
      if (++n > 5000) break;
      const text = norm(el.tagName === 'INPUT' ? el.value : (el.innerText || el.textContent));
      if (!text || text.length > 60) continue;
      if (!acc && a.accept.includes(text) && visible(el)) { acc = el; out.accept = '"' + text + '"'; }
      else if (!rej && a.reject.includes(text) && visible(el)) { rej = el; out.reject = '"' + text + '"'; }
    }
    if (acc || rej) out.rule = 'generic text';
  }
  out.found = !!out.rule;
  const target = a.action === 'accept' ? acc : a.action === 'reject' ? rej : null;
  if (target) { target.click(); out.clicked = a.action; }
  return JSON.stringify(out);
}"#;
