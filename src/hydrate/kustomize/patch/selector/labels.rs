//! Kubernetes label selector syntax (`a=b`, `a==b`, `a!=b`, `a in (x,y)`,
//! `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, joined with commas), used for
//! both label and annotation selectors.

use crate::hydrate::kustomize::error::{KustError, Result};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

/// A parsed selector; the empty selector matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelSelector {
    requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Ident(String),
    In,
    NotIn,
    Not,
    Eq,
    DoubleEq,
    NotEq,
    Gt,
    Lt,
    Open,
    Close,
    Comma,
    End,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Ident(s) => s.clone(),
            Token::In => "in".into(),
            Token::NotIn => "notin".into(),
            Token::Not => "!".into(),
            Token::Eq => "=".into(),
            Token::DoubleEq => "==".into(),
            Token::NotEq => "!=".into(),
            Token::Gt => ">".into(),
            Token::Lt => "<".into(),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Comma => ",".into(),
            Token::End => "end of string".into(),
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn symbol(s: &str) -> Option<Token> {
    Some(match s {
        "!" => Token::Not,
        "=" => Token::Eq,
        "==" => Token::DoubleEq,
        "!=" => Token::NotEq,
        ">" => Token::Gt,
        "<" => Token::Lt,
        "(" => Token::Open,
        ")" => Token::Close,
        "," => Token::Comma,
        _ => return None,
    })
}

fn lex(input: &str) -> Result<Vec<Token>> {
    let chars: Vec<char> = input.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if matches!(c, ' ' | '\t' | '\r' | '\n') {
            i += 1;
        } else if is_special(c) {
            // The longest run of symbol characters that is still a token.
            let mut j = i + 1;
            while j < chars.len()
                && is_special(chars[j])
                && symbol(&chars[i..=j].iter().collect::<String>()).is_some()
            {
                j += 1;
            }
            let s: String = chars[i..j].iter().collect();
            out.push(symbol(&s).ok_or_else(|| {
                KustError::invalid(format!(
                    "error parsing selector {input:?}: unknown symbol {s:?}"
                ))
            })?);
            i = j;
        } else {
            let mut j = i;
            while j < chars.len()
                && !is_special(chars[j])
                && !matches!(chars[j], ' ' | '\t' | '\r' | '\n')
            {
                j += 1;
            }
            let s: String = chars[i..j].iter().collect();
            out.push(match s.as_str() {
                "in" => Token::In,
                "notin" => Token::NotIn,
                _ => Token::Ident(s),
            });
            i = j;
        }
    }
    out.push(Token::End);
    Ok(out)
}

struct Parser<'a> {
    input: &'a str,
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.pos.min(self.tokens.len() - 1)]
    }
    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }
    fn error(&self, found: &Token, expected: &str) -> KustError {
        KustError::invalid(format!(
            "unable to parse requirement in selector {:?}: found '{}', expected: {expected}",
            self.input,
            found.text()
        ))
    }

    fn requirement(&mut self) -> Result<Requirement> {
        let negated = *self.peek() == Token::Not;
        if negated {
            self.next();
        }
        let key = match self.next() {
            Token::Ident(k) => k,
            t => return Err(self.error(&t, "identifier")),
        };
        validate_key(&key, self.input)?;
        if negated {
            return Ok(Requirement {
                key,
                op: Op::DoesNotExist,
                values: Vec::new(),
            });
        }
        let op = match self.peek() {
            Token::End | Token::Comma => {
                return Ok(Requirement {
                    key,
                    op: Op::Exists,
                    values: Vec::new(),
                });
            }
            Token::In => Op::In,
            Token::NotIn => Op::NotIn,
            Token::Eq | Token::DoubleEq => Op::In,
            Token::NotEq => Op::NotIn,
            Token::Gt => Op::Gt,
            Token::Lt => Op::Lt,
            t => return Err(self.error(t, "in, notin, =, ==, !=, gt, lt")),
        };
        let set_syntax = matches!(self.next(), Token::In | Token::NotIn);
        let values = if set_syntax {
            self.value_set()?
        } else {
            vec![self.exact_value()?]
        };
        for v in &values {
            validate_value(v, self.input)?;
        }
        if matches!(op, Op::Gt | Op::Lt) && values[0].parse::<i64>().is_err() {
            return Err(KustError::invalid(format!(
                "invalid selector {:?}: for 'Gt', 'Lt' operators, the value must be an integer",
                self.input
            )));
        }
        Ok(Requirement { key, op, values })
    }

    fn exact_value(&mut self) -> Result<String> {
        match self.peek().clone() {
            Token::End | Token::Comma => Ok(String::new()),
            Token::Ident(v) => {
                self.next();
                Ok(v)
            }
            // Keywords are fine as values (`a=in`).
            Token::In | Token::NotIn => Ok(self.next().text()),
            t => Err(self.error(&t, "identifier")),
        }
    }

    fn value_set(&mut self) -> Result<Vec<String>> {
        match self.next() {
            Token::Open => {}
            t => return Err(self.error(&t, "'('")),
        }
        let mut values = Vec::new();
        let mut expect_value = true;
        loop {
            match self.next() {
                Token::Ident(v) if expect_value => {
                    values.push(v);
                    expect_value = false;
                }
                Token::Comma => {
                    if expect_value {
                        values.push(String::new());
                    }
                    expect_value = true;
                }
                Token::Close => {
                    if expect_value && !values.is_empty() {
                        values.push(String::new());
                    }
                    break;
                }
                t => return Err(self.error(&t, "',', ')' or identifier")),
            }
        }
        if values.is_empty() {
            values.push(String::new());
        }
        Ok(values)
    }
}

fn name_part_ok(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

fn dns_subdomain_ok(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            let b = l.as_bytes();
            !b.is_empty()
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        })
}

fn validate_key(key: &str, input: &str) -> Result<()> {
    let ok = match key.split_once('/') {
        Some((prefix, name)) => dns_subdomain_ok(prefix) && name_part_ok(name),
        None => name_part_ok(key),
    };
    if ok {
        Ok(())
    } else {
        Err(KustError::invalid(format!(
            "invalid label key {key:?} in selector {input:?}"
        )))
    }
}

fn validate_value(v: &str, input: &str) -> Result<()> {
    if v.is_empty() || name_part_ok(v) {
        Ok(())
    } else {
        Err(KustError::invalid(format!(
            "invalid label value {v:?} in selector {input:?}"
        )))
    }
}

impl LabelSelector {
    pub fn parse(input: &str) -> Result<LabelSelector> {
        let mut p = Parser {
            input,
            tokens: lex(input)?,
            pos: 0,
        };
        let mut requirements = Vec::new();
        loop {
            match p.peek() {
                Token::End if requirements.is_empty() => break,
                Token::Ident(_) | Token::Not => requirements.push(p.requirement()?),
                t => {
                    let t = t.clone();
                    return Err(p.error(&t, "!, identifier, or 'end of string'"));
                }
            }
            match p.next() {
                Token::End => break,
                Token::Comma => {}
                t => return Err(p.error(&t, "',' or 'end of string'")),
            }
        }
        Ok(LabelSelector { requirements })
    }

    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }

    /// Whether a set of labels (or annotations) satisfies every requirement.
    pub fn matches(&self, labels: &[(String, String)]) -> bool {
        let get = |k: &str| {
            labels
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        self.requirements.iter().all(|r| {
            let v = get(&r.key);
            match r.op {
                Op::Exists => v.is_some(),
                Op::DoesNotExist => v.is_none(),
                Op::In => v.is_some_and(|v| r.values.iter().any(|x| x == v)),
                Op::NotIn => v.is_none_or(|v| !r.values.iter().any(|x| x == v)),
                Op::Gt | Op::Lt => {
                    let (Some(have), Ok(want)) = (
                        v.and_then(|v| v.parse::<i64>().ok()),
                        r.values[0].parse::<i64>(),
                    ) else {
                        return false;
                    };
                    if r.op == Op::Gt {
                        have > want
                    } else {
                        have < want
                    }
                }
            }
        })
    }
}
