fn main() { let t = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap(); for _ in 0..2 { let d = accord_core::parse(&t); eprintln!("--- {}", d.paragraphs.len()); } }
