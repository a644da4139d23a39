//! Container image references as Karmada's image overrider reads and rewrites them
//! (`pkg/util/imageparser/parser.go`, `lifted.go`), on top of the reference grammar of
//! `github.com/distribution/reference` (`regexp.go`, `reference.go` `Parse`) and `go-digest` validation.
//! The grammar is matched by hand (no regex engine), with the same accept/reject decisions.

/// `[domain[:port]/]path[:tag][@digest]` split the way `imageparser.Parse` keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Components {
    /// Registry host (with port), empty when the name has none.
    pub hostname: String,
    /// Repository without the host.
    pub repository: String,
    /// Tag (takes precedence over the digest, which is then dropped as Karmada does).
    pub tag: String,
    /// Digest (`sha256:...`), kept only when there is no tag.
    pub digest: String,
}

impl Components {
    /// `FullRepository`.
    pub fn full_repository(&self) -> String {
        if self.hostname.is_empty() {
            self.repository.clone()
        } else {
            format!("{}/{}", self.hostname, self.repository)
        }
    }
    /// `TagOrDigest`.
    pub fn tag_or_digest(&self) -> &str {
        if self.tag.is_empty() {
            &self.digest
        } else {
            &self.tag
        }
    }
    /// `SetTagOrDigest`: a tag-shaped value sets the tag, a digest-shaped one the digest, anything else nothing.
    pub fn set_tag_or_digest(&mut self, input: &str) {
        if is_tag(input) {
            self.tag = input.to_string();
            self.digest.clear();
        } else if is_digest_shape(input) {
            self.digest = input.to_string();
            self.tag.clear();
        }
    }
    /// `RemoveTagOrDigest`.
    pub fn remove_tag_or_digest(&mut self) {
        if !self.tag.is_empty() {
            self.tag.clear();
        } else {
            self.digest.clear();
        }
    }
}

impl std::fmt::Display for Components {
    /// `Components.String`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.tag.is_empty() {
            write!(f, "{}:{}", self.full_repository(), self.tag)
        } else if !self.digest.is_empty() {
            write!(f, "{}@{}", self.full_repository(), self.digest)
        } else {
            write!(f, "{}", self.full_repository())
        }
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `^[\w][\w.-]{0,127}$`.
fn is_tag(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(is_word) && s.len() <= 128 && chars.all(|c| is_word(c) || c == '.' || c == '-')
}

/// `^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}$`.
fn is_digest_shape(s: &str) -> bool {
    let Some((alg, hex)) = s.split_once(':') else { return false };
    hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && is_algorithm(alg)
}

fn is_algorithm(alg: &str) -> bool {
    alg.split(['-', '_', '+', '.']).all(|part| {
        let mut cs = part.chars();
        cs.next().is_some_and(|c| c.is_ascii_alphabetic()) && cs.all(|c| c.is_ascii_alphanumeric())
    })
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn is_path_component(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !b.first().is_some_and(alnum) || !b.last().is_some_and(alnum) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if b.get(i).is_some_and(alnum) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !b.get(i).is_some_and(alnum) {
            i += 1;
        }
        match b.get(start..i) {
            Some(b".") | Some(b"_") | Some(b"__") => {}
            Some(sep) if !sep.is_empty() && sep.iter().all(|c| *c == b'-') => {}
            _ => return false,
        }
    }
    true
}

/// `pathComponent(/pathComponent)*`.
fn is_remote_name(s: &str) -> bool {
    s.split('/').all(is_path_component)
}

/// `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(\.that)*`.
fn is_domain_name(s: &str) -> bool {
    s.split('.').all(|c| {
        let b = c.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
            && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
    })
}

/// `(domainName | \[ipv6\])(:[0-9]+)?`.
fn is_domain_and_port(s: &str) -> bool {
    let (host_ok, port) = if let Some(rest) = s.strip_prefix('[') {
        let Some((inner, after)) = rest.split_once(']') else { return false };
        (!inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':'), after)
    } else {
        match s.find(':') {
            Some(i) => (is_domain_name(s.get(..i).unwrap_or("")), s.get(i..).unwrap_or("")),
            None => (is_domain_name(s), ""),
        }
    };
    host_ok
        && match port.strip_prefix(':') {
            None => port.is_empty(),
            Some(p) => !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()),
        }
}

/// `namePat` = `[domainAndPort/]remoteName`.
fn is_name(s: &str) -> bool {
    if let Some((first, rest)) = s.split_once('/') {
        if is_domain_and_port(first) && is_remote_name(rest) {
            return true;
        }
    }
    is_remote_name(s)
}

/// `ReferenceRegexp.FindStringSubmatch`: (name, tag, digest) when the whole string matches.
fn match_reference(s: &str) -> Option<(&str, &str, &str)> {
    let (rest, digest) = match s.split_once('@') {
        Some((r, d)) => {
            if !is_digest_shape(d) {
                return None;
            }
            (r, d)
        }
        None => (s, ""),
    };
    // A `:` after the last `/` can only start the tag.
    let slash = rest.rfind('/').map(|i| i + 1).unwrap_or(0);
    let (name, tag) = match rest.get(slash..).and_then(|t| t.rfind(':')) {
        Some(i) => {
            let at = slash + i;
            (rest.get(..at)?, rest.get(at + 1..)?)
        }
        None => (rest, ""),
    };
    if (!tag.is_empty() && !is_tag(tag)) || (tag.is_empty() && rest.len() != name.len()) {
        return None;
    }
    if !is_name(name) {
        return None;
    }
    Some((name, tag, digest))
}

/// `go-digest` `Digest.Validate` for the algorithms Karmada links in (sha256, sha384, sha512).
fn validate_digest(d: &str) -> Result<(), String> {
    let Some(i) = d.find(':').filter(|i| *i > 0 && i + 1 != d.len()) else {
        return Err("invalid checksum digest format".into());
    };
    let (alg, enc) = (d.get(..i).unwrap_or(""), d.get(i + 1..).unwrap_or(""));
    let size = match alg {
        "sha256" => 32,
        "sha384" => 48,
        "sha512" => 64,
        _ => return Err("unsupported digest algorithm".into()),
    };
    if enc.len() != size * 2 {
        return Err("invalid checksum digest length".into());
    }
    if !enc.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)) {
        return Err("invalid checksum digest format".into());
    }
    Ok(())
}

/// `SplitHostname`: the first path segment is a host only if it has a `.` or `:`, or is `localhost`.
fn split_hostname(name: &str) -> (String, String) {
    match name.split_once('/') {
        Some((h, r)) if h.contains(['.', ':']) || h == "localhost" => (h.to_string(), r.to_string()),
        _ => (String::new(), name.to_string()),
    }
}

/// `imageparser.Parse`, with `reference.Parse`'s error texts.
pub fn parse(image: &str) -> Result<Components, String> {
    let Some((name, tag, digest)) = match_reference(image) else {
        if image.is_empty() {
            return Err("repository name must have at least one component".into());
        }
        if match_reference(&crate::util::golower::to_lower(image)).is_some() {
            return Err("repository name must be lowercase".into());
        }
        return Err("invalid reference format".into());
    };
    let path_len = match name.split_once('/') {
        Some((first, rest)) if is_domain_and_port(first) && is_remote_name(rest) => rest.len(),
        _ => name.len(),
    };
    if path_len > 255 {
        return Err("repository name must not be more than 255 characters".into());
    }
    if !digest.is_empty() {
        validate_digest(digest)?;
    }
    let (hostname, repository) = split_hostname(name);
    Ok(Components {
        hostname,
        repository,
        tag: tag.to_string(),
        digest: if tag.is_empty() { digest.to_string() } else { String::new() },
    })
}

/// `overrideImage`: the new image for one `imageOverrider`.
pub fn override_image(current: &str, component: &str, operator: &str, value: &str) -> Result<String, String> {
    let mut c = parse(current).map_err(|e| format!("failed to parse image value({current}), error: {e}"))?;
    match component {
        "Registry" => match operator {
            "add" => c.hostname.push_str(value),
            "replace" => c.hostname = value.to_string(),
            "remove" => c.hostname.clear(),
            _ => {}
        },
        "Repository" => match operator {
            "add" => c.repository.push_str(value),
            "replace" => c.repository = value.to_string(),
            "remove" => c.repository.clear(),
            _ => {}
        },
        "Tag" => match operator {
            "add" => {
                let v = format!("{}{value}", c.tag_or_digest());
                c.set_tag_or_digest(&v);
            }
            "replace" => c.set_tag_or_digest(value),
            "remove" => c.remove_tag_or_digest(),
            _ => {}
        },
        other => return Err(format!("unsupported image component({other})")),
    }
    Ok(c.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_distribution_reference() {
        let c = parse("docker.io/library/nginx:1.19").unwrap();
        assert_eq!(
            (c.hostname.as_str(), c.repository.as_str(), c.tag.as_str()),
            ("docker.io", "library/nginx", "1.19")
        );
        let c = parse("nginx:1.19").unwrap();
        assert_eq!((c.hostname.as_str(), c.repository.as_str()), ("", "nginx"));
        let c = parse("localhost:5000/a/b").unwrap();
        assert_eq!((c.hostname.as_str(), c.repository.as_str(), c.tag.as_str()), ("localhost:5000", "a/b", ""));
        let d = format!("sha256:{}", "a".repeat(64));
        let c = parse(&format!("nginx@{d}")).unwrap();
        assert_eq!(c.to_string(), format!("nginx@{d}"));
        // With both, the tag wins and the digest is dropped.
        assert_eq!(parse(&format!("nginx:1@{d}")).unwrap().to_string(), "nginx:1");
        assert_eq!(parse("").unwrap_err(), "repository name must have at least one component");
        assert_eq!(parse("Nginx").unwrap_err(), "repository name must be lowercase");
        assert_eq!(parse("nginx:").unwrap_err(), "invalid reference format");
        assert_eq!(parse("a..b").unwrap_err(), "invalid reference format");
        assert_eq!(parse("a__b/c-d---e").unwrap().repository, "a__b/c-d---e");
        assert_eq!(parse("nginx@sha256:abcd").unwrap_err(), "invalid reference format");
        assert_eq!(parse(&format!("nginx@md5:{}", "a".repeat(32))).unwrap_err(), "unsupported digest algorithm");
        assert!(parse("[::1]:5000/x:y").is_ok());
    }

    #[test]
    fn overrides_as_karmada() {
        let img = "docker.io/library/nginx:1.19";
        assert_eq!(override_image(img, "Registry", "add", "mirror").unwrap(), "docker.iomirror/library/nginx:1.19");
        assert_eq!(override_image("nginx:1.19", "Registry", "replace", "r.io").unwrap(), "r.io/nginx:1.19");
        assert_eq!(override_image(img, "Registry", "remove", "").unwrap(), "library/nginx:1.19");
        assert_eq!(
            override_image(img, "Repository", "replace", "library/httpd").unwrap(),
            "docker.io/library/httpd:1.19"
        );
        assert_eq!(override_image(img, "Tag", "replace", "1.25").unwrap(), "docker.io/library/nginx:1.25");
        assert_eq!(override_image(img, "Tag", "add", "-alpine").unwrap(), "docker.io/library/nginx:1.19-alpine");
        assert_eq!(override_image(img, "Tag", "replace", "bad tag").unwrap(), img);
        assert_eq!(override_image(img, "Tag", "remove", "").unwrap(), "docker.io/library/nginx");
        assert_eq!(
            override_image("UPPER", "Tag", "remove", "").unwrap_err(),
            "failed to parse image value(UPPER), error: repository name must be lowercase"
        );
    }
}
