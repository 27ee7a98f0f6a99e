//! OCI image references with the grammar of the distribution `reference`
//! package (what `docker pull` accepts):
//!
//! ```text
//! reference  := name [ ":" tag ] [ "@" digest ]
//! name       := [ domain "/" ] path-component { "/" path-component }
//! domain     := host [ ":" port ]     host: DNS name, IPv4, or [IPv6]
//! path-comp  := [a-z0-9]+ { separator [a-z0-9]+ }   separator: . _ __ -+
//! tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//! digest     := algorithm ":" hex   (sha256: 64, sha384: 96, sha512: 128)
//! ```
//!
//! The first component is the registry when it contains `.` or `:`, is
//! `localhost`, or holds an uppercase letter; otherwise the image is on
//! Docker Hub (`docker.io`), and a one-component Hub name is in `library/`.

use std::fmt;

/// The longest name (registry and path) the grammar allows.
const NAME_MAX: usize = 255;
const TAG_MAX: usize = 128;
pub const DEFAULT_DOMAIN: &str = "docker.io";
const LEGACY_DOMAIN: &str = "index.docker.io";

/// A parsed reference. `domain` and `path` are normalised (`nginx` is
/// `docker.io` / `library/nginx`); `written` is the text as found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    pub domain: String,
    pub path: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    pub written: String,
}

/// Why a reference does not parse; worded like the distribution package.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    #[error("repository name must have at least one component")]
    Empty,
    #[error("invalid reference format")]
    Format,
    #[error("invalid reference format: repository name ({0}) must be lowercase")]
    Uppercase(String),
    #[error("repository name must not be more than 255 characters")]
    NameTooLong,
    #[error(
        "invalid reference format: a tag is 1 to 128 of [A-Za-z0-9_.-], not starting with . or -"
    )]
    Tag,
    #[error("invalid digest format: the hex must be lowercase")]
    Digest,
    #[error("unsupported digest algorithm")]
    DigestAlgorithm,
    #[error("invalid checksum digest length")]
    DigestLength,
    #[error("invalid repository name ({0}), cannot specify 64-byte hexadecimal strings")]
    HexName(String),
}

impl Reference {
    /// `registry/path`, normalised (`docker.io/library/nginx`).
    pub fn repository(&self) -> String {
        format!("{}/{}", self.domain, self.path)
    }

    /// The normalised reference with its tag and digest.
    pub fn normalized(&self) -> String {
        let mut s = self.repository();
        if let Some(t) = &self.tag {
            s.push(':');
            s.push_str(t);
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.normalized())
    }
}

/// Parses `text` as `docker pull` would.
pub fn parse(text: &str) -> Result<Reference, RefError> {
    if text.is_empty() {
        return Err(RefError::Empty);
    }
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(RefError::HexName(text.to_string()));
    }
    let (rest, digest) = match text.split_once('@') {
        Some((r, d)) => (r, Some(parse_digest(d)?)),
        None => (text, None),
    };
    // A tag is after the last `:` that follows the last `/`.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest[last_slash..].rfind(':') {
        Some(i) => {
            let at = last_slash + i;
            (&rest[..at], Some(&rest[at + 1..]))
        }
        None => (rest, None),
    };
    if let Some(t) = tag
        && !valid_tag(t)
    {
        return Err(RefError::Tag);
    }
    if name.is_empty() {
        return Err(RefError::Format);
    }
    let (domain, path) = split_domain(name);
    if let Some(d) = domain
        && !valid_domain(d)
    {
        return Err(RefError::Format);
    }
    let mut uppercase = false;
    for comp in path.split('/') {
        if !valid_path_component(comp) {
            if valid_path_component(&comp.to_ascii_lowercase()) {
                uppercase = true;
            } else {
                return Err(RefError::Format);
            }
        }
    }
    if uppercase {
        return Err(RefError::Uppercase(path.to_string()));
    }
    if name.len() > NAME_MAX {
        return Err(RefError::NameTooLong);
    }
    let mut domain = domain.unwrap_or(DEFAULT_DOMAIN).to_string();
    if domain == LEGACY_DOMAIN {
        domain = DEFAULT_DOMAIN.to_string();
    }
    let path = if domain == DEFAULT_DOMAIN && !path.contains('/') {
        format!("library/{path}")
    } else {
        path.to_string()
    };
    Ok(Reference {
        domain,
        path,
        tag: tag.map(String::from),
        digest,
        written: text.to_string(),
    })
}

/// The registry part of `name`, if its first component names one.
fn split_domain(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

fn alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )*`
pub fn valid_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let run = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && alnum_lower(b[*i]) {
            *i += 1;
        }
        *i > start
    };
    if !run(&mut i) {
        return false;
    }
    while i < b.len() {
        match b[i] {
            b'.' => i += 1,
            b'_' => {
                i += 1;
                if i < b.len() && b[i] == b'_' {
                    i += 1;
                }
            }
            b'-' => {
                while i < b.len() && b[i] == b'-' {
                    i += 1;
                }
            }
            _ => return false,
        }
        if !run(&mut i) {
            return false;
        }
    }
    true
}

/// `host [":" port]`: a DNS name of `[A-Za-z0-9]` components joined by
/// `.` (inner `-` allowed), an IPv4 address (a DNS name to the grammar),
/// or a bracketed IPv6 address.
pub fn valid_domain(s: &str) -> bool {
    let (host, port) = if let Some(inner) = s.strip_prefix('[') {
        let Some((v6, after)) = inner.split_once(']') else {
            return false;
        };
        if v6.is_empty() || !v6.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return false;
        }
        match after {
            "" => return true,
            p => match p.strip_prefix(':') {
                Some(port) => ("x", Some(port)),
                None => return false,
            },
        }
    } else {
        match s.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        }
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    !host.is_empty() && host.split('.').all(valid_domain_component)
}

fn valid_domain_component(c: &str) -> bool {
    let b = c.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
        }
        _ => false,
    }
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
pub fn valid_tag(t: &str) -> bool {
    let b = t.as_bytes();
    let word = |x: &u8| x.is_ascii_alphanumeric() || *x == b'_';
    match b.split_first() {
        Some((first, rest)) => {
            b.len() <= TAG_MAX
                && word(first)
                && rest.iter().all(|x| word(x) || *x == b'.' || *x == b'-')
        }
        None => false,
    }
}

/// `algorithm:hex`, the algorithm `[A-Za-z][A-Za-z0-9]*` components joined
/// by `[-_+.]`, the hex at least 32 digits; then the length and case the
/// algorithm demands.
fn parse_digest(d: &str) -> Result<String, RefError> {
    let Some((algo, hex)) = d.split_once(':') else {
        return Err(RefError::Format);
    };
    let algo_ok = !algo.is_empty()
        && algo.split(['-', '_', '+', '.']).all(|c| {
            let b = c.as_bytes();
            b.first().is_some_and(u8::is_ascii_alphabetic)
                && b.iter().all(u8::is_ascii_alphanumeric)
        });
    if !algo_ok || hex.len() < 32 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(RefError::Format);
    }
    let want = match algo {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return Err(RefError::DigestAlgorithm),
    };
    if hex.len() != want {
        return Err(RefError::DigestLength);
    }
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(RefError::Digest);
    }
    Ok(d.to_string())
}

/// A commit SHA as a tag: 7 to 40 lowercase hex digits, optionally after
/// `sha-` (docker/metadata-action's default).
pub fn is_commit_sha(tag: &str) -> bool {
    let hex = tag.strip_prefix("sha-").unwrap_or(tag);
    (7..=40).contains(&hex.len())
        && hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A release version `[v]X.Y.Z` and its suffix (`-main`, `-apache`,
/// `-ce.0`, `+build`), or None.
pub fn release_version(tag: &str) -> Option<((u64, u64, u64), &str)> {
    let body = tag.strip_prefix('v').unwrap_or(tag);
    let end = body
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(body.len());
    let (nums, suffix) = body.split_at(end);
    let mut parts = nums.split('.');
    let mut next = || -> Option<u64> {
        let p = parts.next()?;
        if p.is_empty() || (p.len() > 1 && p.starts_with('0')) {
            return None;
        }
        p.parse().ok()
    };
    let v = (next()?, next()?, next()?);
    if parts.next().is_some() {
        return None;
    }
    let valid_suffix = suffix.is_empty()
        || (matches!(suffix.as_bytes()[0], b'-' | b'+')
            && suffix.len() > 1
            && suffix[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+')));
    valid_suffix.then_some((v, suffix))
}

/// A tag that names one build for good: a commit SHA or a release version.
pub fn is_immutable_tag(tag: &str) -> bool {
    is_commit_sha(tag) || release_version(tag).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Reference {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn normalises_docker_hub_names() {
        let r = ok("nginx");
        assert_eq!(
            (r.domain.as_str(), r.path.as_str()),
            ("docker.io", "library/nginx")
        );
        assert_eq!(r.tag, None);
        assert_eq!(
            ok("nginx:1.27").normalized(),
            "docker.io/library/nginx:1.27"
        );
        assert_eq!(ok("bitnami/redis").repository(), "docker.io/bitnami/redis");
        assert_eq!(
            ok("index.docker.io/nginx").repository(),
            "docker.io/library/nginx"
        );
        assert_eq!(
            ok("docker.io/nginx").repository(),
            "docker.io/library/nginx"
        );
        assert_eq!(
            ok("docker.io/library/nginx").repository(),
            "docker.io/library/nginx"
        );
    }

    #[test]
    fn detects_registries() {
        let d = |s: &str| ok(s).domain;
        assert_eq!(
            d("harbor.oneex.internal/oneex/back:v1"),
            "harbor.oneex.internal"
        );
        assert_eq!(d("localhost/a"), "localhost");
        assert_eq!(d("localhost:5000/a:1"), "localhost:5000");
        assert_eq!(d("host:5000/a/b"), "host:5000");
        assert_eq!(d("Registry/a"), "Registry");
        assert_eq!(d("[::1]:5000/a"), "[::1]:5000");
        assert_eq!(d("[fe80::1]/a"), "[fe80::1]");
        assert_eq!(d("10.0.0.1:5000/a"), "10.0.0.1:5000");
        assert_eq!(d("foo/bar"), "docker.io");
        assert_eq!(ok("foo/bar").path, "foo/bar");
        assert_eq!(ok("localhost:5000/a:1").tag.as_deref(), Some("1"));
        assert_eq!(ok("host:5000/a/b").tag, None);
    }

    #[test]
    fn tags_and_digests() {
        let h = "a".repeat(64);
        let r = ok(&format!("ghcr.io/o/r:v1.2.3@sha256:{h}"));
        assert_eq!(r.tag.as_deref(), Some("v1.2.3"));
        assert_eq!(r.digest, Some(format!("sha256:{h}")));
        let r = ok(&format!("r@sha256:{h}"));
        assert_eq!(r.tag, None);
        assert!(r.digest.is_some());
        assert!(parse(&format!("r@sha512:{}", "0".repeat(128))).is_ok());
        assert_eq!(parse("r@sha256:abc"), Err(RefError::Format));
        assert_eq!(
            parse(&format!("r@md5:{}", "0".repeat(32))),
            Err(RefError::DigestAlgorithm)
        );
        assert_eq!(
            parse(&format!("r@sha256:{}", "0".repeat(63))),
            Err(RefError::DigestLength)
        );
        assert_eq!(
            parse(&format!("r@sha256:{}", "A".repeat(64))),
            Err(RefError::Digest)
        );
        assert_eq!(parse("r@sha256"), Err(RefError::Format));
        assert_eq!(
            ok(&format!("r:{}", "x".repeat(128))).tag.unwrap().len(),
            128
        );
        assert_eq!(parse(&format!("r:{}", "x".repeat(129))), Err(RefError::Tag));
        assert_eq!(ok("r:_x").tag.as_deref(), Some("_x"));
        assert_eq!(ok("r:X.y-Z").tag.as_deref(), Some("X.y-Z"));
    }

    #[test]
    fn refuses_what_docker_refuses() {
        let bad = [
            ("", RefError::Empty),
            (":", RefError::Tag),
            ("a:", RefError::Tag),
            ("a:-x", RefError::Tag),
            ("a:.x", RefError::Tag),
            ("a:x/y", RefError::Format),
            ("/a", RefError::Format),
            ("a/", RefError::Format),
            ("a//b", RefError::Format),
            ("a b", RefError::Format),
            ("-a", RefError::Format),
            ("a-", RefError::Format),
            ("a..b", RefError::Format),
            ("a___b", RefError::Format),
            ("a.-b", RefError::Format),
            ("host:/a", RefError::Format),
            ("host:x/a", RefError::Format),
            ("-host.io/a", RefError::Format),
            ("host-.io/a", RefError::Format),
            ("[::1/a", RefError::Format),
            ("[]/a", RefError::Format),
            ("[::1]x/a", RefError::Format),
            ("a@", RefError::Format),
            ("Nginx", RefError::Uppercase("Nginx".into())),
            (
                "docker.io/Library/nginx",
                RefError::Uppercase("Library/nginx".into()),
            ),
        ];
        for (s, want) in bad {
            assert_eq!(parse(s), Err(want), "{s:?}");
        }
        let hex = "0123456789abcdef".repeat(4);
        assert_eq!(parse(&hex), Err(RefError::HexName(hex.clone())));
        let long = format!("{}/{}", "a".repeat(200), "b".repeat(60));
        assert_eq!(parse(&long), Err(RefError::NameTooLong));
    }

    #[test]
    fn path_components() {
        for good in [
            "a", "a0", "a.b", "a_b", "a__b", "a-b", "a---b", "0", "a.b_c-d",
        ] {
            assert!(valid_path_component(good), "{good}");
        }
        for bad in [
            "", "A", "a.", ".a", "a..b", "a___b", "a._b", "a-", "a+b", "a:b",
        ] {
            assert!(!valid_path_component(bad), "{bad}");
        }
    }

    #[test]
    fn every_short_string_parses_or_errs_without_panicking() {
        // All strings of up to 4 characters over an alphabet that exercises
        // every branch of the grammar.
        let alphabet = ['a', 'Z', '0', '.', '_', '-', ':', '/', '@', '[', ']'];
        let mut frontier = vec![String::new()];
        let mut seen = 0;
        for _ in 0..4 {
            let mut next = Vec::new();
            for s in &frontier {
                for c in alphabet {
                    let t = format!("{s}{c}");
                    if let Ok(r) = parse(&t) {
                        // A parsed reference reparses from its normal form.
                        assert_eq!(
                            parse(&r.normalized()).map(|x| x.normalized()),
                            Ok(r.normalized())
                        );
                    }
                    seen += 1;
                    next.push(t);
                }
            }
            frontier = next;
        }
        assert!(seen > 10_000);
    }

    #[test]
    fn immutable_tags() {
        for t in [
            "3f9c2e1a",
            "3f9c2e1",
            "sha-3f9c2e1",
            &"a".repeat(40),
            "v1.4.2-main",
            "v1.4.2",
            "1.3.0",
            "30.0.4-apache",
            "17.6.1-ce.0",
            "4.38.17",
            "v1.10.3",
            "1.2.3+build.5",
        ] {
            assert!(is_immutable_tag(t), "{t}");
        }
        for t in [
            "latest",
            "main",
            "1.27",
            "v1",
            "3f9c2e",
            &"a".repeat(41),
            "3F9C2E1A",
            "v1.2.3-",
            "01.2.3",
            "1.2.3.4",
            "stable",
        ] {
            assert!(!is_immutable_tag(t), "{t}");
        }
        assert_eq!(release_version("v1.4.2-main"), Some(((1, 4, 2), "-main")));
    }
}
