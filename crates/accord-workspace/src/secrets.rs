//! Secrets and the clock: token secrets (API tokens, session cookies,
//! invitation links, CSRF tokens) and what the store keeps of them.

use sha2::{Digest, Sha256};

/// SHA-256 of a token secret, hex: what the store keeps.
pub fn token_hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new random token secret.
pub fn new_token_secret() -> Result<String, String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    Ok(format!("acc_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

/// Milliseconds since the Unix epoch, from the system clock.
pub fn system_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_hashed_to_hex() {
        let (a, b) = (new_token_secret().unwrap(), new_token_secret().unwrap());
        assert_ne!(a, b);
        assert!(a.starts_with("acc_") && a.len() == 52, "{a}");
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert!(h.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(h, token_hash(&a));
    }
}
