//! Shareable links: the URL fragment `#s=...` carries what is needed to rebuild a session
//! exactly: the lesson and step (or the sandbox), every terminal line with the virtual time
//! it ran at and the editor text it read, the editor, and the final virtual time. Opening
//! the link replays that log on a fresh cluster, which — the simulation being
//! deterministic — gives the same state hash, checked against the one in the link.
//!
//! The payload is JSON in unpadded base64url. Links over `MAX_FRAGMENT` characters are not
//! made; a tampered, truncated or oversized fragment gives a message, never a broken page.

use serde::{Deserialize, Serialize};

/// The longest fragment a link may carry (browsers and chat tools cope with this much).
pub const MAX_FRAGMENT: usize = 32_000;
const MAX_LINES: usize = 2_000;
const MAX_TEXT: usize = 64_000;
const VERSION: u32 = 1;

/// One terminal line: when it ran (virtual ms), the line, and which editor text it read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub t: u64,
    pub line: String,
    /// Index into `Shared::texts`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<u32>,
}

/// A session, as a link carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub v: u32,
    /// The lesson's id and step, or `None` for the sandbox.
    #[serde(default)]
    pub lesson: Option<(String, usize)>,
    pub log: Vec<Entry>,
    /// Distinct editor texts the log's lines read.
    #[serde(default)]
    pub texts: Vec<String>,
    pub editor: String,
    /// Virtual time at the moment the link was made.
    pub now: u64,
    /// The state hash then, hex.
    pub hash: String,
}

impl Shared {
    pub fn new(lesson: Option<(String, usize)>, editor: String, now: u64, hash: u64) -> Shared {
        Shared { v: VERSION, lesson, log: Vec::new(), texts: Vec::new(), editor, now, hash: format!("{hash:016x}") }
    }

    /// Appends a line, sharing identical editor texts.
    pub fn push(&mut self, t: u64, line: &str, stdin: Option<&str>) {
        let stdin = stdin.map(|text| match self.texts.iter().position(|x| x == text) {
            Some(i) => i as u32,
            None => {
                self.texts.push(text.to_string());
                (self.texts.len() - 1) as u32
            }
        });
        self.log.push(Entry { t, line: line.to_string(), stdin });
    }

    pub fn stdin_of(&self, e: &Entry) -> Option<&str> {
        e.stdin.and_then(|i| self.texts.get(i as usize)).map(String::as_str)
    }
}

/// Unpadded base64url, from the standard alphabet kubectl's crate already has.
fn b64url(bytes: &[u8]) -> String {
    kubeplay_kubectl::base64_encode(bytes).trim_end_matches('=').replace('+', "-").replace('/', "_")
}

fn un_b64url(text: &str) -> Option<Vec<u8>> {
    if text.contains(['+', '/', '=']) {
        return None;
    }
    kubeplay_kubectl::base64_decode(&text.replace('-', "+").replace('_', "/"))
}

/// The fragment for a session (`s=...`), or why no link can be made.
pub fn encode(s: &Shared) -> Result<String, String> {
    let json = serde_json::to_vec(s).map_err(|e| format!("the session could not be encoded: {e}"))?;
    let frag = format!("s={}", b64url(&json));
    if frag.len() > MAX_FRAGMENT {
        return Err(format!(
            "this session is too long to share as a link ({} characters; the limit is {MAX_FRAGMENT}): start a fresh one for the part you want to show",
            frag.len()
        ));
    }
    Ok(frag)
}

/// Reads a fragment (`#s=...` or `s=...`). `Ok(None)` when it is not a shared session.
pub fn decode(fragment: &str) -> Result<Option<Shared>, String> {
    let f = fragment.trim_start_matches('#');
    let Some(payload) = f.strip_prefix("s=") else { return Ok(None) };
    if f.len() > MAX_FRAGMENT {
        return Err(format!("the link is too long ({} characters; at most {MAX_FRAGMENT})", f.len()));
    }
    let bytes = un_b64url(payload).ok_or("the link is damaged (it is not valid base64url); was it cut short?")?;
    let s: Shared = serde_json::from_slice(&bytes).map_err(|e| format!("the link is damaged ({e})"))?;
    if s.v != VERSION {
        return Err(format!("the link was made by another version of kubeplay (format {}, this page reads {VERSION})", s.v));
    }
    if s.log.len() > MAX_LINES {
        return Err(format!("the link holds {} commands; at most {MAX_LINES}", s.log.len()));
    }
    let too_long =
        s.editor.len() > MAX_TEXT || s.texts.iter().any(|t| t.len() > MAX_TEXT) || s.log.iter().any(|e| e.line.len() > MAX_TEXT);
    if too_long {
        return Err("the link holds a text longer than kubeplay accepts".into());
    }
    let mut last = 0;
    for e in &s.log {
        if e.t < last || e.t > s.now {
            return Err("the link's commands are out of time order".into());
        }
        if e.stdin.is_some_and(|i| i as usize >= s.texts.len()) {
            return Err("the link refers to an editor text it does not carry".into());
        }
        last = e.t;
    }
    // A week of virtual time is far beyond any session; more would take long to replay.
    if s.now > 7 * 24 * 3600 * 1000 {
        return Err("the link's virtual time is beyond a week".into());
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_damage() {
        let mut s = Shared::new(Some(("first-pod".into(), 0)), "kind: Pod\n".into(), 5_000, 0xabc);
        s.push(1_000, "kubectl apply -f -", Some("kind: Pod\n"));
        s.push(2_000, "kubectl get pods", None);
        s.push(3_000, "kubectl apply -f -", Some("kind: Pod\n"));
        assert_eq!(s.texts.len(), 1, "identical editor texts are stored once");
        let frag = encode(&s).unwrap();
        assert_eq!(decode(&format!("#{frag}")).unwrap(), Some(s.clone()));
        assert_eq!(decode("#lesson=3").unwrap(), None);
        assert!(decode(&frag[..frag.len() - 7]).is_err(), "truncated");
        assert!(decode("#s=!!!").unwrap_err().contains("damaged"));
        assert!(decode(&format!("#s={}", "A".repeat(MAX_FRAGMENT + 1))).unwrap_err().contains("too long"));
        let mut bad = s.clone();
        bad.log[1].t = 9_000;
        assert!(decode(&encode(&bad).unwrap()).unwrap_err().contains("time order"));
        let mut bad = s.clone();
        bad.log[0].stdin = Some(5);
        assert!(decode(&encode(&bad).unwrap()).unwrap_err().contains("does not carry"));
        let mut big = Shared::new(None, String::new(), 0, 0);
        for _ in 0..2_000 {
            big.push(0, "kubectl get pods --all-namespaces -o wide", None);
        }
        assert!(encode(&big).unwrap_err().contains("too long to share"));
    }
}
