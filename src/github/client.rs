//! A small blocking GitHub REST client: typed JSON in and out, pagination by `Link`, retries with
//! bounded backoff on 5xx, transport errors and rate limits (honouring `Retry-After` and
//! `x-ratelimit-reset`), one time budget for all API work of a run, no redirects followed, and
//! a token that never appears in an error or a log line.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How long the API may take and how hard to retry. Everything derives from one number, the
/// deadline for all API work of a run ([`RetryPolicy::within`]); the default is 60 s.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub max_attempts: u32,
    /// First backoff after a 5xx or a transport error; doubles per attempt.
    pub initial_backoff: Duration,
    /// The longest single wait (also for `Retry-After`): a longer demand gives up at once.
    pub max_wait: Duration,
    /// One attempt: connecting, sending and reading the whole answer.
    pub timeout: Duration,
    /// Time for all API work of the run together: requests, retries and waits.
    pub deadline: Duration,
    /// The part of the deadline only the final check-run completion may use, so a slow API
    /// earlier in the run cannot leave the check run `in_progress`.
    pub reserve: Duration,
}

/// The default deadline for all API work of a run.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(60);

impl RetryPolicy {
    /// A policy whose waits scale with `deadline`: at 60 s, 15 s per attempt, 15 s kept for the
    /// final completion, backoff from 1 s, and `Retry-After` honoured up to 30 s.
    pub fn within(deadline: Duration) -> RetryPolicy {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: deadline / 60,
            max_wait: deadline / 2,
            timeout: deadline / 4,
            deadline,
            reserve: deadline / 4,
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::within(DEFAULT_DEADLINE)
    }
}

/// Parses a deadline in seconds (`60`, `2.5`), as given to `--api-deadline`, the
/// `api-deadline` input or `GATEHOUSE_API_DEADLINE`.
pub fn parse_deadline(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 3600.0 => Ok(Duration::from_secs_f64(s)),
        _ => Err(format!("`{text}` is not a number of seconds between 0 and 3600")),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// GitHub answered with an error status (after retries, where they apply).
    #[error("{method} {path}: HTTP {status}: {message}")]
    Status { method: &'static str, path: String, status: u16, message: String },
    /// Rate limited for longer than the retry budget allows.
    #[error(
        "{method} {path}: rate limited (HTTP {status}); GitHub asks to wait {wait_secs}s, more than the time left for the API"
    )]
    RateLimited { method: &'static str, path: String, status: u16, wait_secs: u64 },
    /// The request did not get an answer.
    #[error("{method} {path}: {message}")]
    Transport { method: &'static str, path: String, message: String },
    /// The answer was not the JSON we expected.
    #[error("{method} {path}: unexpected response: {message}")]
    Decode { method: &'static str, path: String, message: String },
    /// A redirect, which is never followed (the token must not leave the API's origin).
    #[error("{method} {path}: HTTP {status} redirect to {location}, not followed")]
    Redirect { method: &'static str, path: String, status: u16, location: String },
    /// The run's time for API work is used up; the request was not sent.
    #[error("{method} {path}: not sent, the {secs}s deadline for GitHub API work is used up")]
    Deadline { method: &'static str, path: String, secs: u64 },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status { status, .. }
            | ApiError::RateLimited { status, .. }
            | ApiError::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The token lacks the permission, or the resource is hidden from it (fork PRs, read-only
    /// tokens): the caller should fall back to workflow commands. Rate limits are not this.
    pub fn is_permission(&self) -> bool {
        matches!(self, ApiError::Status { status: 401 | 403 | 404, .. })
    }

    pub fn is_rate_limit(&self) -> bool {
        matches!(self, ApiError::RateLimited { .. })
    }

    /// The request may have taken effect although it failed (no answer, a 5xx, an answer that
    /// could not be read): before repeating a create, look for what it may have created.
    pub fn is_uncertain(&self) -> bool {
        match self {
            ApiError::Transport { .. } | ApiError::Decode { .. } => true,
            ApiError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// Replaces every occurrence of `secret` in `text` (no-op for empty secrets).
pub fn redact(text: &str, secret: &str) -> String {
    if secret.len() < 4 { text.to_string() } else { text.replace(secret, "***") }
}

/// Whether a request may use the time kept for the final completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Normal,
    /// The request that completes the check run.
    Final,
}

/// Whether a request may be repeated blindly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    /// GET, PATCH: repeating does no harm.
    Idempotent,
    /// POST: repeated only when GitHub proves it did not act (a rate limit); after a 5xx or no
    /// answer the caller looks for what it may have created.
    Once,
}

pub struct Client {
    base: String,
    token: String,
    agent: ureq::Agent,
    retry: RetryPolicy,
    /// API time used so far by the run (requests and waits).
    spent: Mutex<Duration>,
    /// Every request made, as `METHOD path` (for the log at debug level and for tests).
    pub log: Mutex<Vec<String>>,
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
    location: Option<String>,
    retry_after: Option<u64>,
    ratelimit_remaining: Option<u64>,
    ratelimit_reset: Option<u64>,
}

/// One request's parameters.
struct Call<'a> {
    method: &'static str,
    path: &'a str,
    body: Option<String>,
    repeat: Repeat,
    urgency: Urgency,
}

impl Client {
    /// `base` is `GITHUB_API_URL` (`https://api.github.com`, or `https://ghe.example/api/v3`).
    pub fn new(base: &str, token: &str, retry: RetryPolicy) -> Client {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(retry.timeout.min(Duration::from_secs(10)))
            .timeout(retry.timeout)
            .redirects(0)
            .user_agent(&format!("gatehouse/{}", crate::core::VERSION))
            .build();
        Client {
            base: base.trim_end_matches('/').to_string(),
            token: token.to_string(),
            agent,
            retry,
            spent: Mutex::new(Duration::ZERO),
            log: Default::default(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }

    /// API time left for requests of this urgency.
    pub fn remaining(&self, urgency: Urgency) -> Duration {
        let spent = *self.spent.lock().unwrap_or_else(|e| e.into_inner());
        let limit = match urgency {
            Urgency::Normal => self.retry.deadline.saturating_sub(self.retry.reserve),
            Urgency::Final => self.retry.deadline,
        };
        limit.saturating_sub(spent)
    }

    fn charge(&self, d: Duration) {
        *self.spent.lock().unwrap_or_else(|e| e.into_inner()) += d;
    }

    pub fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call(Call { method: "GET", path, body: None, repeat: Repeat::Idempotent, urgency: Urgency::Normal })
            .map(|(v, _)| v)
    }

    /// A GET that may use the time kept for the final completion (finding the run to complete).
    pub fn get_final<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        self.call(Call { method: "GET", path, body: None, repeat: Repeat::Idempotent, urgency: Urgency::Final })
            .map(|(v, _)| v)
    }

    /// A POST sent once (repeated only after a rate limit): see [`ApiError::is_uncertain`].
    pub fn post<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T, ApiError> {
        let body = Some(self.encode("POST", path, body)?);
        self.call(Call { method: "POST", path, body, repeat: Repeat::Once, urgency: Urgency::Normal }).map(|(v, _)| v)
    }

    pub fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        urgency: Urgency,
    ) -> Result<T, ApiError> {
        let body = Some(self.encode("PATCH", path, body)?);
        self.call(Call { method: "PATCH", path, body, repeat: Repeat::Idempotent, urgency }).map(|(v, _)| v)
    }

    fn encode<B: Serialize>(&self, method: &'static str, path: &str, body: &B) -> Result<String, ApiError> {
        serde_json::to_string(body).map_err(|e| ApiError::Decode {
            method,
            path: self.scrub(path),
            message: format!("cannot encode the request: {e}"),
        })
    }

    /// Sleeps `attempt`'s backoff when the budget allows; false when it does not.
    pub fn pause(&self, attempt: u32, urgency: Urgency) -> bool {
        let wait = self.backoff(attempt);
        if wait >= self.remaining(urgency) {
            return false;
        }
        std::thread::sleep(wait);
        self.charge(wait);
        true
    }

    /// GETs every page (`per_page=100`, following `Link: rel="next"`) of a list endpoint, stopping
    /// once `cap` items were read. Returns the items and whether more were left.
    pub fn get_all<T: DeserializeOwned>(&self, path: &str, cap: usize) -> Result<(Vec<T>, bool), ApiError> {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut next = Some(format!("{path}{sep}per_page=100"));
        let mut items = Vec::new();
        while let Some(p) = next.take() {
            let call =
                Call { method: "GET", path: &p, body: None, repeat: Repeat::Idempotent, urgency: Urgency::Normal };
            let (page, link): (Vec<T>, _) = self.call(call)?;
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

    /// One request with retries; returns the decoded body and the path of the next page, if any.
    fn call<T: DeserializeOwned>(&self, c: Call<'_>) -> Result<(T, Option<String>), ApiError> {
        let (method, path) = (c.method, c.path);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let left = self.remaining(c.urgency);
            if left.is_zero() {
                return Err(ApiError::Deadline { method, path: self.scrub(path), secs: self.retry.deadline.as_secs() });
            }
            let started = Instant::now();
            let answer = self.send_once(method, path, c.body.as_deref(), self.retry.timeout.min(left));
            self.charge(started.elapsed());
            let left = self.remaining(c.urgency);
            // What went wrong, and how long to wait before trying again (None: do not).
            let (error, wait) = match answer {
                Ok(a) if (200..300).contains(&a.status) => return self.decode(method, path, a),
                Ok(a) if (300..400).contains(&a.status) => {
                    let location = self.scrub(a.location.as_deref().unwrap_or("(no Location)"));
                    return Err(ApiError::Redirect { method, path: self.scrub(path), status: a.status, location });
                }
                Ok(a) if is_rate_limit(&a) => {
                    let secs = rate_limit_wait(&a);
                    let wait = Duration::from_secs(secs);
                    let e = ApiError::RateLimited { method, path: self.scrub(path), status: a.status, wait_secs: secs };
                    if wait > self.retry.max_wait || wait >= left {
                        return Err(e);
                    }
                    (e, Some(wait))
                }
                Ok(a) if a.status >= 500 => {
                    let e = self.status_error(method, path, &a, attempt);
                    (e, (c.repeat == Repeat::Idempotent).then(|| self.backoff(attempt)))
                }
                Ok(a) => return Err(self.status_error(method, path, &a, attempt)),
                Err(message) => {
                    tracing::warn!("{method} {}: {message} (attempt {attempt})", self.scrub(path));
                    let e = ApiError::Transport {
                        method,
                        path: self.scrub(path),
                        message: format!("{message} (attempt {attempt})"),
                    };
                    (e, (c.repeat == Repeat::Idempotent).then(|| self.backoff(attempt)))
                }
            };
            let Some(wait) = wait else { return Err(error) };
            if attempt >= self.retry.max_attempts || wait >= left {
                return Err(error);
            }
            tracing::info!("{method} {}: retrying in {}ms (attempt {attempt})", self.scrub(path), wait.as_millis());
            std::thread::sleep(wait);
            self.charge(wait);
        }
    }

    fn decode<T: DeserializeOwned>(
        &self,
        method: &'static str,
        path: &str,
        a: Answer,
    ) -> Result<(T, Option<String>), ApiError> {
        // An empty body (204) reads as JSON `null`, which `()`, `Option` and `IgnoredAny` accept.
        let text = if a.body.trim().is_empty() { "null" } else { a.body.as_str() };
        let value = serde_json::from_str(text).map_err(|e| ApiError::Decode {
            method,
            path: self.scrub(path),
            message: self.scrub(&e.to_string()),
        })?;
        Ok((value, a.next))
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32 << (attempt.max(1) - 1).min(10);
        (self.retry.initial_backoff * factor).min(self.retry.max_wait)
    }

    fn status_error(&self, method: &'static str, path: &str, a: &Answer, attempt: u32) -> ApiError {
        let mut message = error_message(&a.body);
        if attempt > 1 {
            message.push_str(&format!(" (after {attempt} attempts)"));
        }
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

    fn send_once(
        &self,
        method: &'static str,
        path: &str,
        body: Option<&str>,
        timeout: Duration,
    ) -> Result<Answer, String> {
        let url = self.url(path);
        if let Ok(mut log) = self.log.lock() {
            log.push(format!("{method} {}", path.strip_prefix(&self.base).unwrap_or(path)));
        }
        tracing::debug!("{method} {}", self.scrub(path));
        let mut req = self
            .agent
            .request(method, &url)
            .timeout(timeout)
            .set("Accept", "application/vnd.github+json")
            .set("X-GitHub-Api-Version", "2022-11-28");
        if !self.token.is_empty() {
            req = req.set("Authorization", &format!("Bearer {}", self.token));
        }
        let result = match body {
            Some(b) => req.set("Content-Type", "application/json").send_string(b),
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
        let location = resp.header("location").map(str::to_string);
        let next = resp.header("link").and_then(next_link).and_then(|n| self.same_origin(&n));
        let body = resp.into_string().map_err(|e| self.scrub(&format!("reading the answer: {e}")))?;
        Ok(Answer { status, body, next, location, retry_after, ratelimit_remaining, ratelimit_reset })
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

/// The `message` of GitHub's error body, else the start of the body.
fn error_message(body: &str) -> String {
    serde_json::from_str::<super::models::ErrorBody>(body)
        .map(|b| b.message)
        .unwrap_or_else(|_| body.chars().take(200).collect())
}

/// GitHub's documented rate-limit answers: 429; 403 with `Retry-After` or
/// `x-ratelimit-remaining: 0`; and a secondary rate limit, which may come as 403 or 429 with
/// neither header, told only by its message ("You have exceeded a secondary rate limit").
fn is_rate_limit(a: &Answer) -> bool {
    let secondary = || {
        let m = error_message(&a.body).to_ascii_lowercase();
        m.contains("secondary rate limit") || m.contains("abuse detection")
    };
    a.status == 429 || (a.status == 403 && (a.retry_after.is_some() || a.ratelimit_remaining == Some(0) || secondary()))
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

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
pub fn query_value(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

    #[test]
    fn the_policy_scales_with_the_deadline_and_the_reserve_is_kept_for_the_completion() {
        let p = RetryPolicy::default();
        assert_eq!(
            (p.deadline, p.timeout, p.reserve),
            (DEFAULT_DEADLINE, Duration::from_secs(15), Duration::from_secs(15))
        );
        let c = Client::new("http://x", "", RetryPolicy::within(Duration::from_secs(8)));
        assert_eq!(c.remaining(Urgency::Normal), Duration::from_secs(6));
        c.charge(Duration::from_secs(7));
        assert_eq!(
            (c.remaining(Urgency::Normal), c.remaining(Urgency::Final)),
            (Duration::ZERO, Duration::from_secs(1))
        );
        assert_eq!(parse_deadline("2.5"), Ok(Duration::from_millis(2500)));
        assert!(parse_deadline("0").is_err() && parse_deadline("soon").is_err() && parse_deadline("-1").is_err());
    }

    #[test]
    fn secondary_rate_limits_without_headers_are_rate_limits_not_permission_errors() {
        let answer = |status, body: &str| Answer {
            status,
            body: body.into(),
            next: None,
            location: None,
            retry_after: None,
            ratelimit_remaining: None,
            ratelimit_reset: None,
        };
        let secondary = r#"{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}"#;
        assert!(is_rate_limit(&answer(403, secondary)));
        assert!(is_rate_limit(&answer(429, secondary)));
        assert_eq!(rate_limit_wait(&answer(403, secondary)), 60);
        assert!(!is_rate_limit(&answer(403, r#"{"message":"Resource not accessible by integration"}"#)));
        let e = ApiError::RateLimited { method: "POST", path: "/x".into(), status: 403, wait_secs: 60 };
        assert!(!e.is_permission() && e.is_rate_limit());
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(query_value("gatehouse / patterns"), "gatehouse%20%2F%20patterns");
        assert_eq!(query_value("a-b_c.d~"), "a-b_c.d~");
    }
}
