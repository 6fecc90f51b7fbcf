//! Numbers and dates written the Vietnamese way: 2.800 people, 17,08 %, 05/03/1980.

use chrono::NaiveDate;

/// An integer with `.` between thousands: 2800 → "2.800", -1234567 → "-1.234.567".
pub fn number_vi(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A percentage given in percent, two decimals: 17.08 → "17,08 %".
pub fn percent_vi(percent: f64) -> String {
    percent_bp_vi((percent * 100.0).round() as i64)
}

/// A percentage given in basis points (hundredths of a percent): 1708 → "17,08 %".
pub fn percent_bp_vi(basis_points: i64) -> String {
    let sign = if basis_points < 0 { "-" } else { "" };
    let bp = basis_points.unsigned_abs();
    format!("{sign}{},{:02} %", number_vi((bp / 100) as i64), bp % 100)
}

/// A date as dd/mm/yyyy.
pub fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers() {
        assert_eq!(number_vi(0), "0");
        assert_eq!(number_vi(999), "999");
        assert_eq!(number_vi(2800), "2.800");
        assert_eq!(number_vi(-1_234_567), "-1.234.567");
        assert_eq!(percent_vi(17.08), "17,08 %");
        assert_eq!(percent_bp_vi(1708), "17,08 %");
        assert_eq!(percent_bp_vi(5), "0,05 %");
        assert_eq!(percent_bp_vi(123_456), "1.234,56 %");
        assert_eq!(date_vi(NaiveDate::from_ymd_opt(1980, 3, 5).unwrap()), "05/03/1980");
    }
}
