//! kustomize matches selector fields and image names as regular
//! expressions, but nearly every pattern users write is a plain name
//! (`Deployment`, `app0000`, `harbor.example.internal/team/web`). Compiling
//! a regex for each costs far more than the rest of a small build, so a
//! pattern whose only special character is `.` is matched by hand, with the
//! meaning the regex would give it: every other character stands for
//! itself, `.` for any character but a newline. Anything else is compiled.

use regex::Regex;

/// Characters that make a pattern more than a name with `.` wildcards.
fn is_meta(c: char) -> bool {
    matches!(
        c,
        '\\' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$'
    )
}

/// A pattern that must match a whole value (`^(?:p)$`).
#[derive(Clone, Debug)]
pub enum Whole {
    Plain(Box<str>),
    Regex(Regex),
}

impl Whole {
    pub fn new(pattern: &str) -> Result<Whole, regex::Error> {
        if pattern.contains(is_meta) {
            Regex::new(&format!("^(?:{pattern})$")).map(Whole::Regex)
        } else {
            Ok(Whole::Plain(pattern.into()))
        }
    }

    pub fn is_match(&self, value: &str) -> bool {
        match self {
            Whole::Plain(p) => strip_plain(p, value) == Some(""),
            Whole::Regex(re) => re.is_match(value),
        }
    }
}

/// `value` less a prefix matching the plain pattern `p`, one character
/// per character.
fn strip_plain<'v>(p: &str, value: &'v str) -> Option<&'v str> {
    let mut rest = value.chars();
    for pc in p.chars() {
        let vc = rest.next()?;
        if pc != vc && !(pc == '.' && vc != '\n') {
            return None;
        }
    }
    Some(rest.as_str())
}

/// kustomize's image matcher: the entry's name (a regular expression)
/// followed by an optional `:tag` and an optional `@algorithm:digest`.
#[derive(Clone, Debug)]
pub enum Image {
    Plain(Box<str>),
    Regex(Regex),
}

/// Characters of a tag, and of a digest after its algorithm.
fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '{' | '}' | '-')
}

impl Image {
    /// None when the name is not a valid expression (it then matches
    /// nothing, as in kustomize).
    pub fn new(name: &str) -> Option<Image> {
        if name.contains(is_meta) {
            Regex::new(&format!(
                "^{name}(:[a-zA-Z0-9_.{{}}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{{}}-]*)?$"
            ))
            .ok()
            .map(Image::Regex)
        } else {
            Some(Image::Plain(name.into()))
        }
    }

    pub fn is_match(&self, value: &str) -> bool {
        match self {
            Image::Regex(re) => re.is_match(value),
            Image::Plain(p) => strip_plain(p, value).is_some_and(tag_and_digest),
        }
    }
}

/// `(:TAG)?(@ALG:DIGEST)?` and nothing else. Neither a tag nor an algorithm
/// holds `:` or `@`, so the split points are the first of each.
fn tag_and_digest(rest: &str) -> bool {
    let rest = match rest.strip_prefix(':') {
        Some(tagged) => tagged.trim_start_matches(is_tag_char),
        None => rest,
    };
    if rest.is_empty() {
        return true;
    }
    let Some(digest) = rest.strip_prefix('@') else {
        return false;
    };
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    // `[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*`: runs of letters and digits
    // joined by single separators.
    algorithm
        .split(['.', '+', '_', '-'])
        .all(|run| !run.is_empty() && run.chars().all(|c| c.is_ascii_alphanumeric()))
        && hex.chars().all(is_tag_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image_regex(name: &str) -> Regex {
        Regex::new(&format!(
            "^{name}(:[a-zA-Z0-9_.{{}}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{{}}-]*)?$"
        ))
        .unwrap()
    }

    #[test]
    fn plain_patterns_agree_with_the_regex() {
        let patterns = ["Deployment", "app0000", "a.b", "", "my-app", "x.y.z", "ü.é"];
        let values = [
            "Deployment",
            "deployment",
            "Deployments",
            "app0000",
            "a.b",
            "axb",
            "a\nb",
            "ab",
            "",
            "my-app",
            "x.y.z",
            "xAyBz",
            "üxé",
            "ü",
        ];
        for p in patterns {
            let plain = Whole::new(p).unwrap();
            assert!(matches!(plain, Whole::Plain(_)));
            let re = Regex::new(&format!("^(?:{p})$")).unwrap();
            for v in values {
                assert_eq!(plain.is_match(v), re.is_match(v), "{p:?} on {v:?}");
            }
        }
        assert!(matches!(Whole::new("app.*").unwrap(), Whole::Regex(_)));
        assert!(Whole::new("(").is_err());
    }

    #[test]
    fn plain_image_names_agree_with_the_regex() {
        let names = [
            "nginx",
            "harbor.example.internal/synthetic/app0000",
            "myhost:1234/my/image",
            "a",
            "",
            "gcr.io/x",
        ];
        let values = [
            "nginx",
            "nginx:1.2",
            "nginx:",
            "nginx:1@sha256:abc",
            "nginx@sha256:abc",
            "nginx@sha256",
            "nginx@:abc",
            "nginx@sha256:ab:c",
            "nginx@sha.256+x_y-z:abc",
            "nginx@sha..256:abc",
            "nginx@sha256-:abc",
            "nginx:1:2",
            "nginx:1@",
            "nginx-x:1",
            "my-nginx",
            "nginx:v{1}",
            "nginx:ü",
            "harbor.example.internal/synthetic/app0000:1ec5e71f",
            "harborxexample.internal/synthetic/app0000",
            "harbor.example.internal/synthetic/app00001",
            "myhost:1234/my/image",
            "myhost:1234/my/image:v1",
            "a",
            "a:1@sha256:x",
            "b",
            "",
            ":x",
            "@a:b",
            "gcr.io/x:1",
        ];
        for n in names {
            let plain = Image::new(n).unwrap();
            assert!(matches!(plain, Image::Plain(_)));
            let re = image_regex(n);
            for v in values {
                assert_eq!(plain.is_match(v), re.is_match(v), "{n:?} on {v:?}");
            }
        }
        assert!(Image::new("[").is_none());
        assert!(matches!(Image::new("ngin[x]").unwrap(), Image::Regex(_)));
    }
}
