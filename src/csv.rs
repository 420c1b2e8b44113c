//! Writing CSV for reports (RFC 4180: fields with a comma, quote or line break are quoted,
//! quotes doubled). Reports are opened in spreadsheets, so a field starting with `=`, `+`,
//! `-` or `@` is prefixed with `'` to keep it from running as a formula — unless it is a
//! plain number such as a negative amount, which no spreadsheet runs.

fn number(value: &str) -> bool {
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') && digits.matches('.').count() <= 1
}

pub fn field(value: &str) -> String {
    let safe = if value.starts_with(['=', '+', '-', '@']) && !number(value) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

pub fn line(fields: &[String]) -> String {
    let mut out = fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// A CSV download named `filename`.
pub fn attachment(filename: &str, body: String) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{filename}\"")))
        .body(body)
}

/// Whether the client asked for CSV rather than JSON.
pub fn wanted(req: &actix_web::HttpRequest) -> bool {
    req.headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.split(',').any(|part| part.trim().starts_with("text/csv")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formula_guard() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-7.00"), "-7.00");
        assert_eq!(field("-1+2"), "'-1+2");
        assert_eq!(field("-"), "'-");
        assert_eq!(field("+31 6 1234"), "'+31 6 1234");
        assert_eq!(line(&["a".into(), "b\nc".into()]), "a,\"b\nc\"\r\n");
    }
}
