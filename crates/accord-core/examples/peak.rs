fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let text = accord_core::decode_owned(bytes, usize::MAX).unwrap();
    let d = if std::env::var_os("BORROWED").is_some() {
        accord_core::parse(&text)
    } else {
        accord_core::parse_owned(text)
    };
    println!("{}", d.paragraphs.len());
    std::mem::forget(d);
}
