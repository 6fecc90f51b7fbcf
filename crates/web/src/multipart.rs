//! A small reader of `multipart/form-data` bodies (RFC 7578), for the one
//! form that uploads a file (a duty's report). The body is already in memory
//! under the route's size limit, so no streaming is needed.

use crate::error::AppError;

/// One field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    /// Set for a file field (empty when no file was chosen).
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

impl Part {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

fn bad(why: &str) -> AppError {
    AppError::BadRequest(format!("Biểu mẫu gửi lên không hợp lệ: {why}."))
}

/// The boundary of a `multipart/form-data; boundary=…` content type.
pub fn boundary(content_type: &str) -> Option<String> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| &hay[i..i + needle.len()] == needle)
}

/// A parameter of a `Content-Disposition` header (`name="x"`).
fn param(header: &str, key: &str) -> Option<String> {
    let pattern = format!("{key}=\"");
    let start = header.find(&pattern)? + pattern.len();
    let end = header[start..].find('"')? + start;
    Some(header[start..end].to_string())
}

/// Every part of the body.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, AppError> {
    let b = boundary(content_type).ok_or_else(|| bad("thiếu ranh giới multipart"))?;
    let delimiter = format!("--{b}").into_bytes();
    let mut at =
        find(body, &delimiter, 0).ok_or_else(|| bad("không thấy phần nào"))? + delimiter.len();
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err(bad("phần không bắt đầu bằng dòng mới"));
        }
        at += 2;
        let head_end = find(body, b"\r\n\r\n", at).ok_or_else(|| bad("phần không có tiêu đề"))?;
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let data_start = head_end + 4;
        let next = {
            let mut d = b"\r\n".to_vec();
            d.extend_from_slice(&delimiter);
            find(body, &d, data_start).ok_or_else(|| bad("phần không kết thúc"))?
        };
        let mut name = None;
        let mut filename = None;
        let mut content_type = None;
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            if k.trim().eq_ignore_ascii_case("content-disposition") {
                name = param(v, "name");
                filename = param(v, "filename");
            } else if k.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(v.trim().to_string());
            }
        }
        parts.push(Part {
            name: name.ok_or_else(|| bad("phần không có tên"))?,
            filename,
            content_type,
            data: body[data_start..next].to_vec(),
        });
        at = next + 2 + delimiter.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_a_file_are_read() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nĐã gửi\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"báo cáo.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--x\r\n\
                    --XyZ\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n\r\n--XyZ--\r\n";
        let parts = parse("multipart/form-data; boundary=\"XyZ\"", body.as_bytes()).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].text()),
            ("note", "Đã gửi".to_string())
        );
        assert_eq!(parts[1].filename.as_deref(), Some("báo cáo.pdf"));
        assert_eq!(parts[1].content_type.as_deref(), Some("application/pdf"));
        // A line that looks like a boundary but is not the boundary stays in the data.
        assert_eq!(parts[1].data, b"%PDF\r\n--x");
        assert_eq!(
            (parts[2].filename.as_deref(), parts[2].data.len()),
            (Some(""), 0)
        );
        assert!(parse("application/x-www-form-urlencoded", body.as_bytes()).is_err());
        assert!(parse("multipart/form-data; boundary=XyZ", b"--XyZ\r\nbroken").is_err());
    }
}
