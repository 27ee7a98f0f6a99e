//! WAV001: a waiver's expiry date has passed.

use crate::check::{Rule, Severity};

pub struct WaiverExpired;

impl Rule for WaiverExpired {
    fn id(&self) -> &'static str {
        "WAV001"
    }
    fn name(&self) -> &'static str {
        "waiver-expired"
    }
    fn domain(&self) -> &'static str {
        "waiver"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn summary(&self) -> &'static str {
        "a waiver's expiry date has passed"
    }
    fn docs(&self) -> &'static str {
        r#"A waiver (the `gitopsc.dev/waive` annotation or a `policy.waivers` entry in gitopsc.yaml) silences a rule's findings on one resource until a date. Once the date has passed the waiver no longer applies, the findings it covered come back, and the waiver itself is this error, located at the annotation or the config entry: fix the resource, or renew the waiver with a new date and a reason.

```yaml
metadata:
  annotations:
    gitopsc.dev/waive: "POL002 until 2027-01-31: CSI node plugin, ticket OPS-42"
```

The date is compared with today's date in UTC (`GITOPSC_TODAY=YYYY-MM-DD` overrides it, for tests)."#
    }
}
