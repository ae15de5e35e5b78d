//! `cargo xtask serve`: builds dist/ and serves it on 127.0.0.1 with a small static file
//! server (the right MIME type for .wasm, no caching), until interrupted.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

pub fn run(args: &[String]) -> Result<(), String> {
    let port: u16 = match args.iter().position(|a| a == "--port") {
        Some(i) => args.get(i + 1).and_then(|p| p.parse().ok()).ok_or("--port needs a number")?,
        None => 8080,
    };
    crate::web::dist()?;
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("kubeplay is being served at http://127.0.0.1:{port}/ (Ctrl-C stops it)");
    serve_forever(&listener, &crate::tools::root().join("dist"));
    Ok(())
}

/// Serves `dir` on `listener`, one connection at a time.
pub fn serve_forever(listener: &TcpListener, dir: &Path) {
    for stream in listener.incoming().flatten() {
        let _ = handle(stream, dir);
    }
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

fn handle(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? <= 2 {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let rel = path.trim_start_matches('/');
    let safe = !rel.split('/').any(|c| c == "..");
    let mut file: PathBuf = dir.join(if rel.is_empty() { "index.html" } else { rel });
    if !safe || !file.is_file() {
        file = dir.join("index.html");
    }
    let body = std::fs::read(&file).unwrap_or_default();
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        mime(&file),
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}
