//! Vietnamese text: search keys (no case, no diacritics) and collation keys
//! (the Vietnamese alphabet a ă â b c d đ e ê … with tones ordered).

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::{Collator, CollatorBorrowed, options::CollatorOptions};
use icu_locale_core::locale;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A key for matching what people type: NFD, combining marks dropped, đ → d,
/// lowercase. "Nguyễn Văn Đặng" → "nguyen van dang".
pub fn search_key(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Normalises text to the composed form (NFC) that the database stores.
pub fn nfc(s: &str) -> String {
    // Most text is composed already; the quick check spares rebuilding it.
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

static COLLATOR: LazyLock<CollatorBorrowed<'static>> = LazyLock::new(|| {
    Collator::try_new(locale!("vi").into(), CollatorOptions::default())
        .expect("the Vietnamese collation is compiled in")
});

/// Compares two strings in Vietnamese order.
pub fn compare(a: &str, b: &str) -> Ordering {
    COLLATOR.compare(a, b)
}

/// A byte key whose order is the Vietnamese order of the parts, compared part by
/// part: a person sorts by given name, then family name, then middle name.
/// Stored in a column so that both databases can `ORDER BY` it.
pub fn sort_key(parts: &[&str]) -> Vec<u8> {
    let mut key = Vec::with_capacity(parts.iter().map(|p| p.len() * 3 + 4).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // Collation keys hold no zero byte, so a zero separator makes the
            // concatenation compare as the tuple of parts.
            key.push(0);
        }
        let _ = COLLATOR.write_sort_key_to(part, &mut key);
    }
    key
}

/// The sort key of a person's name: given name, family name, middle name.
pub fn name_sort_key(family: &str, middle: &str, given: &str) -> Vec<u8> {
    sort_key(&[given, family, middle])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_keys_drop_case_and_diacritics() {
        assert_eq!(search_key("Nguyễn Văn An"), "nguyen van an");
        assert_eq!(search_key("ĐẶNG thị Ánh"), "dang thi anh");
        // Decomposed input gives the same key as composed input.
        assert_eq!(search_key("Nguye\u{302}\u{303}n"), search_key("Nguyễn"));
    }

    #[test]
    fn vietnamese_alphabet_order() {
        assert_eq!(compare("Dương", "Đào"), Ordering::Less);
        assert_eq!(compare("Ánh", "Ân"), Ordering::Less);
        assert_eq!(compare("Anh", "Ăn"), Ordering::Less);
        assert_eq!(compare("Uyên", "Ưng"), Ordering::Less);
        let mut tones = vec!["ạ", "á", "ã", "ả", "à", "a"];
        tones.sort_by(|a, b| compare(a, b));
        assert_eq!(tones, ["a", "à", "ả", "ã", "á", "ạ"]);
    }

    #[test]
    fn names_sort_by_given_name_first() {
        let an = name_sort_key("Nguyễn", "Văn", "An");
        let binh = name_sort_key("Lê", "Thị", "Bình");
        assert!(an < binh, "Nguyễn Văn An comes before Lê Thị Bình");
        let dao = name_sort_key("Trần", "", "Đào");
        let duong = name_sort_key("Trần", "", "Dương");
        assert!(duong < dao);
        let same_given_1 = name_sort_key("Lê", "Văn", "An");
        assert!(same_given_1 < an, "then by family name");
        assert!(!sort_key(&["Nguyễn Thị Ánh"]).contains(&0));
    }
}
