//! One-click approval requests that are never lost.
//!
//! A request goes into a queue in `localStorage` (`parapet:approval-queue`) *before* it is sent,
//! and leaves it only after the edge answered 2xx (or rejected it as invalid, 4xx, which is
//! shown). Failed sends are retried with exponential backoff (1 s doubling to 60 s, a bounded
//! number of timers per page), on the window's `online` event, and when a widget mounts. Every
//! send carries the same `Idempotency-Key`, so a retry after a lost response, a reload or a
//! second tab never creates a second request. Outcomes are kept per key in `parapet:approvals`
//! and pending ones are polled (bounded, with backoff) until approved or rejected.
//!
//! The client is shared by every widget on the page; widgets subscribe to re-render.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub const QUEUE_KEY: &str = "parapet:approval-queue";
pub const RECORDS_KEY: &str = "parapet:approvals";

const FIRST_RETRY_MS: f64 = 1_000.0;
const MAX_RETRY_MS: f64 = 60_000.0;
/// Timer-driven flushes per page load; `online` events and new mounts still flush after that.
const MAX_RETRY_TIMERS: u32 = 40;
const MAX_POLLS: u32 = 40;
const FIRST_POLL_MS: u32 = 2_000;
const MAX_POLL_MS: u32 = 60_000;
const REQUEST_TIMEOUT_MS: u32 = 15_000;
const MAX_RECORDS: usize = 200;

/// Where one approval request stands, as the widget shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum ApprovalState {
    Idle,
    Sending,
    /// Not delivered yet: waiting for the network or the server.
    Queued {
        attempts: u32,
        error: String,
    },
    Pending {
        id: String,
    },
    Approved {
        id: String,
        note: Option<String>,
        /// Who approved it and until when (from the decision or its signed waiver).
        reviewer: Option<String>,
        until: Option<String>,
        /// The signed waiver's exception entries (JSON array), when the service signed one.
        exceptions: Option<String>,
    },
    Rejected {
        id: String,
        note: Option<String>,
    },
    /// The server refused the request as invalid (4xx); its explanation.
    Invalid {
        message: String,
    },
    /// The host page took the request over (`parapet:approval-request` was prevented).
    HandledByHost,
}

/// One request waiting in `parapet:approval-queue` (stored as JSON, camelCase fields).
#[derive(Clone, Debug)]
struct QueuedRequest {
    key: String,
    url: String,
    body: String,
    attempts: u32,
    next_at: f64,
    last_error: String,
}

impl QueuedRequest {
    fn from_js(v: &JsValue) -> Option<Self> {
        Some(Self {
            key: js_string(v, "key")?,
            url: js_string(v, "url")?,
            body: js_string(v, "body")?,
            attempts: js_number(v, "attempts").unwrap_or(0.0) as u32,
            next_at: js_number(v, "nextAt").unwrap_or(0.0),
            last_error: js_string(v, "lastError").unwrap_or_default(),
        })
    }

    fn to_js(&self) -> JsValue {
        let o: JsValue = js_sys::Object::new().into();
        js_set(&o, "key", &self.key.as_str().into());
        js_set(&o, "url", &self.url.as_str().into());
        js_set(&o, "body", &self.body.as_str().into());
        js_set(&o, "attempts", &self.attempts.into());
        js_set(&o, "nextAt", &self.next_at.into());
        js_set(&o, "lastError", &self.last_error.as_str().into());
        o
    }
}

/// What became of a request, in `parapet:approvals` by idempotency key.
#[derive(Clone, Debug)]
struct Record {
    /// pending | approved | rejected | invalid | handled
    status: String,
    id: Option<String>,
    note: Option<String>,
    status_url: Option<String>,
    reviewer: Option<String>,
    until: Option<String>,
    /// JSON array of exception entries `{ rule, approval: <DSSE envelope> }`.
    exceptions: Option<String>,
    at: f64,
}

impl Record {
    fn new(status: &str) -> Self {
        Self {
            status: status.to_owned(),
            id: None,
            note: None,
            status_url: None,
            reviewer: None,
            until: None,
            exceptions: None,
            at: now_ms(),
        }
    }

    fn from_js(v: &JsValue) -> Option<Self> {
        Some(Self {
            status: js_string(v, "status")?,
            id: js_string(v, "id"),
            note: js_string(v, "note"),
            status_url: js_string(v, "statusUrl"),
            reviewer: js_string(v, "reviewer"),
            until: js_string(v, "until"),
            exceptions: js_string(v, "exceptions"),
            at: js_number(v, "at").unwrap_or(0.0),
        })
    }

    fn to_js(&self) -> JsValue {
        let o: JsValue = js_sys::Object::new().into();
        js_set(&o, "status", &self.status.as_str().into());
        for (k, v) in [
            ("id", &self.id),
            ("note", &self.note),
            ("statusUrl", &self.status_url),
            ("reviewer", &self.reviewer),
            ("until", &self.until),
            ("exceptions", &self.exceptions),
        ] {
            if let Some(v) = v {
                js_set(&o, k, &v.as_str().into());
            }
        }
        js_set(&o, "at", &self.at.into());
        o
    }
}

fn js_get(v: &JsValue, key: &str) -> JsValue {
    if !v.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn js_string(v: &JsValue, key: &str) -> Option<String> {
    js_get(v, key).as_string()
}

fn js_number(v: &JsValue, key: &str) -> Option<f64> {
    js_get(v, key).as_f64()
}

fn js_set(o: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(o, &key.into(), value);
}

fn parse_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::UNDEFINED)
}

fn stringify(v: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(v).ok().and_then(|s| s.as_string())
}

#[derive(Default)]
struct Client {
    started: bool,
    /// Keys being sent right now, and keys being polled (few: a Vec is enough).
    in_flight: Vec<String>,
    polling: Vec<String>,
    timer: Option<Timeout>,
    timer_due: f64,
    timers_used: u32,
    next_listener: u64,
    listeners: Vec<(u64, Rc<dyn Fn()>)>,
}

thread_local! {
    static CLIENT: RefCell<Client> = RefCell::new(Client::default());
}

/// Unsubscribes when dropped.
pub struct Subscription(u64);

impl Drop for Subscription {
    fn drop(&mut self) {
        let id = self.0;
        CLIENT.with(|c| c.borrow_mut().listeners.retain(|(i, _)| *i != id));
    }
}

pub fn subscribe(f: Rc<dyn Fn()>) -> Subscription {
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        c.next_listener += 1;
        let id = c.next_listener;
        c.listeners.push((id, f));
        Subscription(id)
    })
}

fn notify() {
    let listeners: Vec<Rc<dyn Fn()>> = CLIENT.with(|c| {
        c.borrow()
            .listeners
            .iter()
            .map(|(_, f)| f.clone())
            .collect()
    });
    for f in listeners {
        f();
    }
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_storage(key: &str) -> JsValue {
    storage()
        .and_then(|s| s.get_item(key).ok().flatten())
        .map(|t| parse_json(&t))
        .unwrap_or(JsValue::UNDEFINED)
}

fn write_storage(key: &str, value: Option<&JsValue>) {
    let Some(s) = storage() else { return };
    let _ = match value.and_then(stringify) {
        Some(text) => s.set_item(key, &text),
        None => s.remove_item(key),
    };
}

fn load_queue() -> Vec<QueuedRequest> {
    let v = read_storage(QUEUE_KEY);
    if !js_sys::Array::is_array(&v) {
        return Vec::new();
    }
    js_sys::Array::from(&v)
        .iter()
        .filter_map(|e| QueuedRequest::from_js(&e))
        .collect()
}

fn save_queue(queue: &[QueuedRequest]) {
    if queue.is_empty() {
        write_storage(QUEUE_KEY, None);
        return;
    }
    let list = js_sys::Array::new();
    for e in queue {
        list.push(&e.to_js());
    }
    write_storage(QUEUE_KEY, Some(&list.into()));
}

fn update_queue(f: impl FnOnce(&mut Vec<QueuedRequest>)) {
    let mut queue = load_queue();
    f(&mut queue);
    save_queue(&queue);
}

fn load_record(key: &str) -> Option<Record> {
    Record::from_js(&js_get(&read_storage(RECORDS_KEY), key))
}

fn save_record(key: &str, record: Record) {
    let mut records = read_storage(RECORDS_KEY);
    if !records.is_object() {
        records = js_sys::Object::new().into();
    }
    js_set(&records, key, &record.to_js());
    // Bounded: drop the oldest beyond MAX_RECORDS (one over, in practice: one pass each).
    let object: &js_sys::Object = records.unchecked_ref();
    while js_sys::Object::keys(object).length() as usize > MAX_RECORDS {
        let oldest = js_sys::Object::keys(object)
            .iter()
            .filter_map(|k| k.as_string())
            .map(|k| (js_number(&js_get(&records, &k), "at").unwrap_or(0.0), k))
            .fold(None::<(f64, String)>, |min, e| match min {
                Some(m) if m.0 <= e.0 => Some(m),
                _ => Some(e),
            });
        let Some((_, k)) = oldest else { break };
        let _ = js_sys::Reflect::delete_property(object, &k.into());
    }
    write_storage(RECORDS_KEY, Some(&records));
}

fn busy(key: &str) -> bool {
    CLIENT.with(|c| c.borrow().in_flight.iter().any(|k| k == key))
}

/// The state of the request with this idempotency key.
pub fn state(key: &str) -> ApprovalState {
    if busy(key) {
        return ApprovalState::Sending;
    }
    if let Some(q) = load_queue().into_iter().find(|q| q.key == key) {
        return ApprovalState::Queued {
            attempts: q.attempts,
            error: q.last_error,
        };
    }
    let Some(r) = load_record(key) else {
        return ApprovalState::Idle;
    };
    let id = r.id.unwrap_or_default();
    match r.status.as_str() {
        "approved" => ApprovalState::Approved {
            id,
            note: r.note,
            reviewer: r.reviewer,
            until: r.until,
            exceptions: r.exceptions,
        },
        "rejected" => ApprovalState::Rejected { id, note: r.note },
        "invalid" => ApprovalState::Invalid {
            message: r
                .note
                .unwrap_or_else(|| "The request was refused.".to_owned()),
        },
        "handled" => ApprovalState::HandledByHost,
        _ => ApprovalState::Pending { id },
    }
}

/// Installs the `online` listener once and delivers whatever an earlier page left queued.
pub fn start() {
    let first = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        !std::mem::replace(&mut c.started, true)
    });
    if first {
        if let Some(window) = web_sys::window() {
            let on_online = Closure::<dyn Fn()>::new(|| flush(true));
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
            on_online.forget(); // one listener for the page's lifetime
        }
    }
    flush(true);
}

/// `POST {endpoint}/v1/approvals`: queue first, then send.
pub fn request(key: &str, endpoint: &str, body: String) {
    match state(key) {
        ApprovalState::Idle | ApprovalState::Invalid { .. } | ApprovalState::HandledByHost => {}
        _ => return, // already on its way or answered: never a second request
    }
    let url = format!("{}/v1/approvals", endpoint.trim_end_matches('/'));
    let entry = QueuedRequest {
        key: key.to_owned(),
        url,
        body,
        attempts: 0,
        next_at: 0.0,
        last_error: String::new(),
    };
    update_queue(|q| {
        q.retain(|e| e.key != entry.key);
        q.push(entry.clone());
    });
    send(entry);
}

/// Sends everything queued now (the "Retry now" button).
pub fn retry_now() {
    flush(true);
}

/// Marks a request as refused before it could be sent (no approval service configured).
pub fn refuse(key: &str, message: &str) {
    save_record(
        key,
        Record {
            note: Some(message.to_owned()),
            ..Record::new("invalid")
        },
    );
    notify();
}

/// Remembers that the host page took this request over.
pub fn handled_by_host(key: &str) {
    save_record(key, Record::new("handled"));
    notify();
}

/// Sends every queued request that is due (all of them when `force`), then arms the timer
/// for the next one.
fn flush(force: bool) {
    let now = now_ms();
    let queue = load_queue();
    for entry in queue.iter() {
        if !busy(&entry.key) && (force || entry.next_at <= now) {
            send(entry.clone());
        }
    }
    arm_timer();
}

fn arm_timer() {
    let due = load_queue()
        .iter()
        .filter(|e| !busy(&e.key))
        .map(|e| e.next_at)
        .fold(f64::INFINITY, f64::min);
    if !due.is_finite() {
        return;
    }
    CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        if c.timer.is_some() && c.timer_due <= due {
            return;
        }
        if c.timers_used >= MAX_RETRY_TIMERS {
            return;
        }
        c.timers_used += 1;
        c.timer_due = due;
        let wait = (due - now_ms()).clamp(0.0, MAX_RETRY_MS) as u32;
        c.timer = Some(Timeout::new(wait, || {
            CLIENT.with(|c| c.borrow_mut().timer = None);
            flush(false);
        }));
    });
}

fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_RETRY_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32)).min(MAX_RETRY_MS)
}

fn send(entry: QueuedRequest) {
    if busy(&entry.key) {
        return;
    }
    CLIENT.with(|c| c.borrow_mut().in_flight.push(entry.key.clone()));
    notify();
    wasm_bindgen_futures::spawn_local(async move {
        let result = http("POST", &entry.url, Some(&entry.body), Some(&entry.key)).await;
        CLIENT.with(|c| c.borrow_mut().in_flight.retain(|k| *k != entry.key));
        match result {
            Ok((status, text)) if (200..300).contains(&status) => {
                let id = js_string(&parse_json(&text), "id").unwrap_or_default();
                let status_url = (!id.is_empty()).then(|| format!("{}/{}", entry.url, encode(&id)));
                save_record(
                    &entry.key,
                    Record {
                        id: Some(id),
                        status_url,
                        ..Record::new("pending")
                    },
                );
                update_queue(|q| q.retain(|e| e.key != entry.key));
                watch(&entry.key);
            }
            Ok((status, text))
                if (400..500).contains(&status) && status != 408 && status != 429 =>
            {
                let problem = parse_json(&text);
                let note = problem_text(status, |k| js_string(&problem, k));
                save_record(
                    &entry.key,
                    Record {
                        note: Some(note),
                        ..Record::new("invalid")
                    },
                );
                update_queue(|q| q.retain(|e| e.key != entry.key));
            }
            other => {
                let error = match other {
                    Ok((status, _)) => format!("the server answered {status}"),
                    Err(e) => e,
                };
                update_queue(|q| {
                    if let Some(e) = q.iter_mut().find(|e| e.key == entry.key) {
                        e.attempts = e.attempts.saturating_add(1);
                        e.next_at = now_ms() + backoff_ms(e.attempts);
                        e.last_error = error.clone();
                    }
                });
                arm_timer();
            }
        }
        notify();
    });
}

/// Polls a pending request until it is approved or rejected (bounded, with backoff).
pub fn watch(key: &str) {
    let Some(record) = load_record(key) else {
        return;
    };
    if record.status != "pending" {
        return;
    }
    let Some(url) = record.status_url else {
        return;
    };
    let fresh = CLIENT.with(|c| {
        let mut c = c.borrow_mut();
        let fresh = !c.polling.iter().any(|k| k == key);
        if fresh {
            c.polling.push(key.to_owned());
        }
        fresh
    });
    if !fresh {
        return;
    }
    let key = key.to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let mut wait = FIRST_POLL_MS;
        for _ in 0..MAX_POLLS {
            gloo_timers::future::TimeoutFuture::new(wait).await;
            wait = (wait * 2).min(MAX_POLL_MS);
            let Ok((200, text)) = http("GET", &url, None, None).await else {
                continue;
            };
            let v = parse_json(&text);
            let status = js_string(&v, "status").unwrap_or_default();
            if status == "approved" || status == "rejected" {
                if let Some(r) = load_record(&key) {
                    let decision = js_get(&v, "decision");
                    let note = match decision.as_string() {
                        Some(text) => Some(shorten(&text)),
                        None => decision_note(|k| js_string(&decision, k)),
                    };
                    let waiver = js_get(&v, "waiver");
                    let exceptions = js_get(&waiver, "exceptions");
                    let exceptions = js_sys::Array::is_array(&exceptions)
                        .then(|| stringify(&exceptions))
                        .flatten();
                    let reviewer = js_string(&decision, "reviewer").map(|s| shorten(&s));
                    let until = js_string(&waiver, "expires")
                        .or_else(|| js_string(&decision, "expires"))
                        .map(|s| shorten(&s));
                    save_record(
                        &key,
                        Record {
                            status,
                            note,
                            reviewer,
                            until,
                            exceptions,
                            at: now_ms(),
                            ..r
                        },
                    );
                }
                notify();
                break;
            }
        }
        CLIENT.with(|c| c.borrow_mut().polling.retain(|k| *k != key));
    });
}

/// A short human note from a decision object (`field` reads one of its string fields),
/// whatever names the server uses.
fn decision_note(field: impl Fn(&str) -> Option<String>) -> Option<String> {
    let by = ["by", "reviewer", "decidedBy"]
        .iter()
        .find_map(|k| field(k));
    let why = ["comment", "reason", "note"].iter().find_map(|k| field(k));
    match (by, why) {
        (Some(b), Some(w)) => Some(shorten(&format!("{b}: {w}"))),
        (Some(b), None) => Some(shorten(&format!("by {b}"))),
        (None, Some(w)) => Some(shorten(&w)),
        (None, None) => None,
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 200 {
        let mut t: String = s.chars().take(199).collect();
        t.push('…');
        t
    } else {
        s.to_owned()
    }
}

/// An RFC 9457 problem's `detail` (or `title`), else the status.
fn problem_text(status: u16, field: impl Fn(&str) -> Option<String>) -> String {
    field("detail")
        .or_else(|| field("title"))
        .map(|s| shorten(&s))
        .unwrap_or_else(|| format!("The approval service refused the request ({status})."))
}

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

async fn http(
    method: &str,
    url: &str,
    body: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<(u16, String), String> {
    let err = |e: JsValue| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "network error".to_owned())
    };
    let window = web_sys::window().ok_or("no window")?;
    let headers = web_sys::Headers::new().map_err(err)?;
    headers.set("Accept", "application/json").map_err(err)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(err)?;
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(key) = idempotency_key {
        headers.set("Idempotency-Key", key).map_err(err)?;
    }
    init.set_headers(&headers);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(
        REQUEST_TIMEOUT_MS,
    )));
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(err)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(err)?
        .dyn_into()
        .map_err(err)?;
    let text = match response.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok((response.status(), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_to_a_minute() {
        assert_eq!(backoff_ms(1), 1_000.0);
        assert_eq!(backoff_ms(2), 2_000.0);
        assert_eq!(backoff_ms(6), 32_000.0);
        assert_eq!(backoff_ms(7), 60_000.0);
        assert_eq!(backoff_ms(500), 60_000.0);
    }

    fn fields(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn decisions_become_short_notes() {
        let note = decision_note(fields(&[("by", "sec-team"), ("comment", "ok for Q1")]));
        assert_eq!(note.as_deref(), Some("sec-team: ok for Q1"));
        assert_eq!(decision_note(fields(&[("status", "approved")])), None);
    }

    #[test]
    fn problems_explain_themselves() {
        let problem = fields(&[
            ("title", "Unprocessable"),
            ("detail", "none of the rules needs approval"),
        ]);
        assert_eq!(
            problem_text(422, problem),
            "none of the rules needs approval"
        );
        assert!(problem_text(400, fields(&[])).contains("400"));
    }
}
