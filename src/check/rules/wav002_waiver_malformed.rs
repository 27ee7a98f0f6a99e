//! WAV002: a waiver lacks a rule, an expiry date or a reason, or names an unknown rule.

use crate::check::{Rule, Severity};

pub struct WaiverMalformed;

impl Rule for WaiverMalformed {
    fn id(&self) -> &'static str {
        "WAV002"
    }
    fn name(&self) -> &'static str {
        "waiver-malformed"
    }
    fn domain(&self) -> &'static str {
        "waiver"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a waiver lacks a rule, an expiry date or a reason, or names an unknown rule"
    }
    fn docs(&self) -> &'static str {
        r#"Every waiver needs a rule id or name, an expiry date and a reason, so that nobody silences a rule forever without saying why. The annotation form is

```
gitopsc.dev/waive: "POL012 until 2027-01-31: legacy image, ticket OPS-42"
```

with several waivers separated by `;` or newlines. A waiver that does not parse (no `until`, a date that does not exist, an empty reason, an unknown rule) applies to nothing and is reported here."#
    }
}
