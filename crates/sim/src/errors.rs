//! API errors as the API server returns them: a status reason plus, for invalid objects,
//! field errors rendered with apimachinery's `field.Error` text.

use crate::kinds::Kind;
use serde_json::Value;

/// The kind of a field error (apimachinery `field.ErrorType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorType {
    Required,
    Invalid,
    Unsupported,
    Forbidden,
    Duplicate,
    NotFound,
    TooLong,
}

impl ErrorType {
    pub fn text(self) -> &'static str {
        match self {
            ErrorType::Required => "Required value",
            ErrorType::Invalid => "Invalid value",
            ErrorType::Unsupported => "Unsupported value",
            ErrorType::Forbidden => "Forbidden",
            ErrorType::Duplicate => "Duplicate value",
            ErrorType::NotFound => "Not found",
            ErrorType::TooLong => "Too long",
        }
    }
}

/// One field error. `Display` gives the API server's text, e.g.
/// ``spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels` ``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path as the API server prints it: `spec.template.spec.containers[0].image`.
    pub field: String,
    pub error_type: ErrorType,
    /// The offending value, already rendered (strings quoted, complex values as JSON).
    pub value: Option<String>,
    pub detail: String,
    /// Where the field is in the learner's source, 1-based (line, column), when known.
    pub position: Option<(u32, u32)>,
}

impl FieldError {
    pub fn required(field: &str, detail: &str) -> FieldError {
        FieldError { field: field.into(), error_type: ErrorType::Required, value: None, detail: detail.into(), position: None }
    }

    pub fn invalid(field: &str, value: &Value, detail: &str) -> FieldError {
        FieldError {
            field: field.into(),
            error_type: ErrorType::Invalid,
            value: Some(render_value(value)),
            detail: detail.into(),
            position: None,
        }
    }

    pub fn unsupported(field: &str, value: &Value, supported: &[&str]) -> FieldError {
        let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
        FieldError {
            field: field.into(),
            error_type: ErrorType::Unsupported,
            value: Some(render_value(value)),
            detail: format!("supported values: {}", list.join(", ")),
            position: None,
        }
    }

    pub fn forbidden(field: &str, detail: &str) -> FieldError {
        FieldError { field: field.into(), error_type: ErrorType::Forbidden, value: None, detail: detail.into(), position: None }
    }

    pub fn duplicate(field: &str, value: &Value) -> FieldError {
        FieldError {
            field: field.into(),
            error_type: ErrorType::Duplicate,
            value: Some(render_value(value)),
            detail: String::new(),
            position: None,
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.error_type.text())?;
        if let Some(v) = &self.value {
            write!(f, ": {v}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// Renders a value as apimachinery 1.34+ does in field errors: strings quoted (Go `%q`),
/// numbers and booleans plain, `null`, and complex values as compact JSON.
pub fn render_value(v: &Value) -> String {
    match v {
        Value::String(s) => go_quote(s),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// Go's `%q` for the strings kubeplay renders (ASCII escapes).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `metav1.StatusReason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    NotFound,
    AlreadyExists,
    Invalid,
    BadRequest,
    Conflict,
    Forbidden,
    MethodNotAllowed,
}

impl Reason {
    pub fn text(self) -> &'static str {
        match self {
            Reason::NotFound => "NotFound",
            Reason::AlreadyExists => "AlreadyExists",
            Reason::Invalid => "Invalid",
            Reason::BadRequest => "BadRequest",
            Reason::Conflict => "Conflict",
            Reason::Forbidden => "Forbidden",
            Reason::MethodNotAllowed => "MethodNotAllowed",
        }
    }
}

/// An error returned by the simulated API server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub reason: Reason,
    /// The server's message (`deployments.apps "x" not found`).
    pub message: String,
    /// The kind and name the error is about, for kubectl's `The Deployment "x" is invalid`.
    pub kind: Option<Kind>,
    pub name: String,
    /// Field errors of an `Invalid` error.
    pub causes: Vec<FieldError>,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::NotFound,
            message: format!("{} {:?} not found", kind.info().resource_group(), name),
            kind: Some(kind),
            name: name.into(),
            causes: vec![],
        }
    }

    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::AlreadyExists,
            message: format!("{} {:?} already exists", kind.info().resource_group(), name),
            kind: Some(kind),
            name: name.into(),
            causes: vec![],
        }
    }

    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> ApiError {
        let joined: Vec<String> = causes.iter().map(ToString::to_string).collect();
        let group = kind.info().group;
        let qualified = if group.is_empty() { kind.info().kind.to_string() } else { format!("{}.{}", kind.info().kind, group) };
        let message = if joined.len() == 1 {
            format!("{qualified} {name:?} is invalid: {}", joined[0])
        } else {
            format!("{qualified} {name:?} is invalid: [{}]", joined.join(", "))
        };
        ApiError { reason: Reason::Invalid, message, kind: Some(kind), name: name.into(), causes }
    }

    pub fn bad_request(message: String) -> ApiError {
        ApiError { reason: Reason::BadRequest, message, kind: None, name: String::new(), causes: vec![] }
    }

    pub fn conflict(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: Reason::Conflict,
            message: format!(
                "Operation cannot be fulfilled on {} {:?}: the object has been modified; please apply your changes to the latest version and try again",
                kind.info().resource_group(),
                name
            ),
            kind: Some(kind),
            name: name.into(),
            causes: vec![],
        }
    }

    pub fn forbidden(message: String) -> ApiError {
        ApiError { reason: Reason::Forbidden, message, kind: None, name: String::new(), causes: vec![] }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
