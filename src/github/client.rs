//! A small blocking GitHub REST client: JSON in and out, pagination by `Link`, retries with
//! bounded backoff on 5xx and rate limits (honouring `Retry-After` and `x-ratelimit-reset`), and
//! a token that never appears in an error or a log line.

use serde_json::Value;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How hard to retry. The defaults keep a run bounded to about two minutes of waiting.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff after a 5xx or a transport error; doubles per attempt.
    pub initial_backoff: Duration,
    /// The longest single wait (also for `Retry-After`): a longer demand gives up at once.
    pub max_wait: Duration,
    /// Total time one request may spend waiting across its retries.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_secs(2),
            max_wait: Duration::from_secs(60),
            budget: Duration::from_secs(120),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// GitHub answered with an error status (after retries, where they apply).
    #[error("{method} {path}: HTTP {status}: {message}")]
    Status { method: &'static str, path: String, status: u16, message: String },
    /// Rate limited for longer than the retry budget allows.
    #[error(
        "{method} {path}: rate limited (HTTP {status}); GitHub asks to wait {wait_secs}s, more than the retry budget"
    )]
    RateLimited { method: &'static str, path: String, status: u16, wait_secs: u64 },
    /// The request did not get an answer.
    #[error("{method} {path}: {message}")]
    Transport { method: &'static str, path: String, message: String },
    /// The answer was not the JSON we expected.
    #[error("{method} {path}: unexpected response: {message}")]
    Decode { method: &'static str, path: String, message: String },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. } | ApiError::RateLimited { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The token lacks the permission, or the resource is hidden from it (fork PRs, read-only
    /// tokens): the caller should fall back to workflow commands.
    pub fn is_permission(&self) -> bool {
        matches!(self.status(), Some(401 | 403 | 404))
    }
}

/// Replaces every occurrence of `secret` in `text` (no-op for empty secrets).
pub fn redact(text: &str, secret: &str) -> String {
    if secret.len() < 4 { text.to_string() } else { text.replace(secret, "***") }
}

pub struct Client {
    base: String,
    token: String,
    agent: ureq::Agent,
    retry: RetryPolicy,
    /// Every request made, as `METHOD path` (for the log at debug level and for tests).
    pub log: std::sync::Mutex<Vec<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("base", &self.base).field("token", &"***").finish()
    }
}

struct Answer {
    status: u16,
    body: String,
    next: Option<String>,
    retry_after: Option<u64>,
    ratelimit_remaining: Option<u64>,
    ratelimit_reset: Option<u64>,
}

impl Client {
    /// `base` is `GITHUB_API_URL` (`https://api.github.com`, or `https://ghe.example/api/v3`).
    pub fn new(base: &str, token: &str, retry: RetryPolicy) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .user_agent(&format!("gatehouse/{}", crate::core::VERSION))
            .build();
        Client {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            agent,
            retry,
            log: Default::default(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn get(&self, path: &str) -> Result<Value, ApiError> {
        self.request("GET", path, None).map(|(v, _)| v)
    }

    pub fn post(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        self.request("POST", path, Some(body)).map(|(v, _)| v)
    }

    pub fn patch(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        self.request("PATCH", path, Some(body)).map(|(v, _)| v)
    }

    /// GETs every page (`per_page=100`, following `Link: rel="next"`) of a list endpoint, stopping
    /// once `cap` items were read. Returns the items and whether more were left.
    pub fn get_all(&self, path: &str, cap: usize) -> Result<(Vec<Value>, bool), ApiError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut next = Some(format!("{path}{sep}per_page=100"));
        let mut items = Vec::new();
        while let Some(p) = next.take() {
            let (page, link) = self.request("GET", &p, None)?;
            let Value::Array(page) = page else {
                return Err(ApiError::Decode { method: "GET", path: p, message: "expected a JSON array".into() });
            };
            items.extend(page);
            if items.len() >= cap {
                let more = items.len() > cap || link.is_some();
                items.truncate(cap);
                return Ok((items, more));
            }
            next = link;
        }
        Ok((items, false))
    }

    /// One request with retries; returns the JSON body and the path of the next page, if any.
    fn request(
        &self,
        method: &'static str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<(Value, Option<String>), ApiError> {
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let answer = self.send_once(method, path, body);
            let wait = match &answer {
                Err(message) => {
                    tracing::warn!("{method} {path}: {message} (attempt {attempt})");
                    Some(self.backoff(attempt))
                }
                Ok(a) if (200..300).contains(&a.status) => None,
                Ok(a) if a.status >= 500 => Some(self.backoff(attempt)),
                Ok(a) if is_rate_limit(a) => {
                    let secs = rate_limit_wait(a);
                    if Duration::from_secs(secs) > self.retry.max_wait
                        || started.elapsed() + Duration::from_secs(secs) > self.retry.budget
                    {
                        return Err(ApiError::RateLimited {
                            method,
                            path: self.scrub(path),
                            status: a.status,
                            wait_secs: secs,
                        });
                    }
                    Some(Duration::from_secs(secs))
                }
                Ok(a) => return Err(self.status_error(method, path, a)),
            };
            let Some(wait) = wait else {
                let a = answer.expect("checked above");
                let value = if a.body.trim().is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(&a.body).map_err(|e| ApiError::Decode {
                        method,
                        path: self.scrub(path),
                        message: e.to_string(),
                    })?
                };
                return Ok((value, a.next));
            };
            let out_of_budget = started.elapsed() + wait > self.retry.budget;
            if attempt >= self.retry.max_attempts || out_of_budget {
                return Err(match answer {
                    Err(message) => ApiError::Transport {
                        method,
                        path: self.scrub(path),
                        message: format!("{} (after {attempt} attempts)", self.scrub(&message)),
                    },
                    Ok(a) if a.status >= 500 => {
                        let mut e = self.status_error(method, path, &a);
                        if let ApiError::Status { message, .. } = &mut e {
                            message.push_str(&format!(" (after {attempt} attempts)"));
                        }
                        e
                    }
                    Ok(a) => ApiError::RateLimited {
                        method,
                        path: self.scrub(path),
                        status: a.status,
                        wait_secs: wait.as_secs(),
                    },
                });
            }
            tracing::info!("{method} {path}: retrying in {}ms (attempt {attempt})", wait.as_millis());
            std::thread::sleep(wait);
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << (attempt - 1).min(10);
        (self.retry.initial_backoff * factor).min(self.retry.max_wait)
    }

    fn status_error(&self, method: &'static str, path: &str, a: &Answer) -> ApiError {
        let message = serde_json::from_str::<Value>(&a.body)
            .ok()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_else(|| a.body.chars().take(200).collect());
        ApiError::Status { method, path: self.scrub(path), status: a.status, message: self.scrub(&message) }
    }

    fn scrub(&self, text: &str) -> String {
        redact(text, &self.token)
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    fn send_once(&self, method: &'static str, path: &str, body: Option<&Value>) -> Result<Answer, String> {
        let url = self.url(path);
        if let Ok(mut log) = self.log.lock() {
            log.push(format!("{method} {}", path.strip_prefix(&self.base).unwrap_or(path)));
        }
        tracing::debug!("{method} {path}");
        let mut req = self
            .agent
            .request(method, &url)
            .set("Accept", "application/vnd.github+json")
            .set("X-GitHub-Api-Version", "2022-11-28");
        if !self.token.is_empty() {
            req = req.set("Authorization", &format!("Bearer {}", self.token));
        }
        let result = match body {
            Some(b) => req.send_json(b.clone()),
            None => req.call(),
        };
        let resp = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(self.scrub(&e.to_string())),
        };
        let header_u64 = |name: &str| resp.header(name).and_then(|v| v.trim().parse::<u64>().ok());
        let status = resp.status();
        let retry_after = header_u64("retry-after");
        let ratelimit_remaining = header_u64("x-ratelimit-remaining");
        let ratelimit_reset = header_u64("x-ratelimit-reset");
        let next = resp.header("link").and_then(next_link).and_then(|n| self.same_origin(&n));
        let body = resp.into_string().map_err(|e| self.scrub(&e.to_string()))?;
        Ok(Answer { status, body, next, retry_after, ratelimit_remaining, ratelimit_reset })
    }

    /// A `Link` target is only followed on the API's own origin, so the token never leaves it.
    fn same_origin(&self, url: &str) -> Option<String> {
        let origin = |u: &str| {
            let rest = u.split_once("://").map(|(_, r)| r).unwrap_or(u);
            let host = rest.split('/').next().unwrap_or("").to_string();
            (u.split("://").next().unwrap_or("").to_string(), host)
        };
        if origin(url) == origin(&self.base) {
            Some(url.to_string())
        } else {
            tracing::warn!("not following a pagination link to another origin");
            None
        }
    }
}

fn is_rate_limit(a: &Answer) -> bool {
    a.status == 429 || (a.status == 403 && (a.retry_after.is_some() || a.ratelimit_remaining == Some(0)))
}

/// Seconds to wait: `Retry-After`, else until `x-ratelimit-reset`, else one minute (GitHub's
/// advice for secondary limits without either header).
fn rate_limit_wait(a: &Answer) -> u64 {
    if let Some(s) = a.retry_after {
        return s;
    }
    if let Some(reset) = a.ratelimit_reset {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        return reset.saturating_sub(now) + 1;
    }
    60
}

/// The `rel="next"` target of a `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        if params.split(';').any(|p| p.trim() == "rel=\"next\"") {
            Some(url.trim().trim_start_matches('<').trim_end_matches('>').to_string())
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_is_found_among_others() {
        let h = r#"<https://api.github.com/repositories/1/pulls/2/files?page=1>; rel="prev", <https://api.github.com/repositories/1/pulls/2/files?page=3>; rel="next", <https://api.github.com/repositories/1/pulls/2/files?page=30>; rel="last""#;
        assert_eq!(next_link(h).as_deref(), Some("https://api.github.com/repositories/1/pulls/2/files?page=3"));
        assert_eq!(next_link(r#"<https://x/y?page=1>; rel="prev""#), None);
    }

    #[test]
    fn redaction_replaces_every_occurrence() {
        assert_eq!(redact("a ghs_secret b ghs_secret", "ghs_secret"), "a *** b ***");
        assert_eq!(redact("abc", ""), "abc");
    }

    #[test]
    fn foreign_origins_are_not_followed() {
        let c = Client::new("https://ghe.example/api/v3", "t0ken", RetryPolicy::default());
        assert!(c.same_origin("https://ghe.example/api/v3/x?page=2").is_some());
        assert!(c.same_origin("https://evil.example/api/v3/x?page=2").is_none());
        assert!(format!("{c:?}").contains("***") && !format!("{c:?}").contains("t0ken"));
    }
}
