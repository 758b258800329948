//! The check character of an electronic certificate's identifier: ISO 7064 MOD 37,36, the
//! hybrid system over the 36 digits and capital letters (GB/T 36903 asks for it). It catches
//! every single wrong character and most swaps of two neighbouring ones.

/// The characters of the system, by value.
const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const M: u32 = 36;

fn value(c: char) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|v| u32::try_from(v).ok())
}

fn fold(s: &str) -> Option<u32> {
    s.chars().try_fold(M, |p, c| {
        let mut t = (p + value(c)?) % M;
        if t == 0 {
            t = M;
        }
        Some((t * 2) % (M + 1))
    })
}

/// The check character of `s` (digits and capital letters); `None` when `s` holds any other
/// character.
///
/// ```
/// use strata::export::certificate::check::{check_char, is_valid};
/// // The Global Release Identifier of ISO 7064's published example: A1-2425G-ABC1234002-M.
/// assert_eq!(check_char("A12425GABC1234002"), Some('M'));
/// assert!(is_valid("A12425GABC1234002M"));
/// assert!(!is_valid("A12425GABC1234020M"));
/// ```
pub fn check_char(s: &str) -> Option<char> {
    let p = fold(s)?;
    Some(char::from(ALPHABET[((M + 1 - p) % M) as usize]))
}

/// True when the last character of `s` is the check character of the rest.
pub fn is_valid(s: &str) -> bool {
    let Some((i, last)) = s.char_indices().last() else {
        return false;
    };
    check_char(&s[..i]) == Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_single_substitution_is_caught(
            body in "[0-9A-Z]{4,30}",
            at in 0usize..30,
            to in 0usize..36,
        ) {
            let whole = format!("{body}{}", check_char(&body).unwrap());
            prop_assert!(is_valid(&whole));
            let chars: Vec<char> = whole.chars().collect();
            let i = at % chars.len();
            let replacement = char::from(ALPHABET[to]);
            if chars[i] != replacement {
                let mut changed = chars.clone();
                changed[i] = replacement;
                prop_assert!(!is_valid(&changed.iter().collect::<String>()));
            }
        }
    }
}
