//! The real server, as a child process: decompression bombs uploaded at once must not raise its peak
//! memory (`VmHWM` in `/proc/<pid>/status`). Outside testing measured 2.9 GB for 12 of them.

#[path = "shared/bomb.rs"]
mod bomb;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

const ADMIN: &str = "+79000000001";
/// Bombs sent at once.
const PARALLEL: usize = 12;
/// The server's peak may grow by this much while they are refused: a few request buffers, and far
/// from the 245 MB a single bomb took to decode.
const GROWTH_BOUND_BYTES: u64 = 48 * 1024 * 1024;

/// The server process, stopped when the test ends however it ends.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(data_dir: &Path) -> Server {
        let bin = env!("CARGO_BIN_EXE_parta-server");
        let data = data_dir.to_str().unwrap();
        let created = Command::new(bin)
            .args(["create-school", "--data-dir", data, "--name", "Школа № 1", "--admin-phone", ADMIN])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(created.success());
        let no_dist = data_dir.join("no-dist");
        let mut child = Command::new(bin)
            .args(["serve", "--addr", "127.0.0.1:0", "--data-dir", data, "--dev-outbox"])
            .arg("--dist")
            .arg(&no_dist)
            .env("RUST_LOG", "error")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines.next().expect("the server exited before it was running").unwrap();
            if let Some(url) = line.strip_prefix("Parta is running at http://") {
                break url.to_string();
            }
        };
        Server { child, address }
    }

    /// One HTTP/1.1 request on its own connection: the status and the answer's head and body.
    fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String, Vec<u8>) {
        let mut stream = TcpStream::connect(&self.address).unwrap();
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\nx-parta-csrf: 1\r\n",
            self.address,
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).unwrap();
        let split = answer.windows(4).position(|w| w == b"\r\n\r\n").expect("an HTTP answer");
        let head = String::from_utf8(answer[..split].to_vec()).unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, answer[split + 4..].to_vec())
    }

    /// Signs the school's administrator in and fills in the profile; returns the `Cookie` header.
    fn sign_in(&self) -> String {
        let json = [("Content-Type", "application/json")];
        let phone = format!(r#"{{"phone":"{ADMIN}"}}"#);
        assert_eq!(self.request("POST", "/api/v1/auth/code", &json, phone.as_bytes()).0, 200);
        let (_, _, outbox) = self.request("GET", "/api/v1/dev/outbox?phone=%2B79000000001", &[], b"");
        let outbox: serde_json::Value = serde_json::from_slice(&outbox).unwrap();
        let body = format!(r#"{{"phone":"{ADMIN}","code":"{}"}}"#, outbox["code"].as_str().unwrap());
        let (status, head, _) = self.request("POST", "/api/v1/auth/session", &json, body.as_bytes());
        assert_eq!(status, 200);
        let cookie = head
            .lines()
            .find_map(|line| line.to_ascii_lowercase().starts_with("set-cookie:").then(|| line[11..].trim()))
            .and_then(|value| value.split(';').next())
            .unwrap()
            .to_string();
        let profile = r#"{"first_name":"Анна","last_name":"Петрова","birth_date":"1980-04-01"}"#.as_bytes();
        let headers = [json[0], ("Cookie", cookie.as_str())];
        assert_eq!(self.request("PUT", "/api/v1/me/profile", &headers, profile).0, 200);
        cookie
    }

    /// The most memory the process has held so far, in bytes.
    fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kilobytes = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().strip_suffix("kB"))
            .unwrap();
        kilobytes.trim().parse::<u64>().unwrap() * 1024
    }
}

#[test]
fn bombs_uploaded_at_once_leave_the_servers_memory_where_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path());
    let cookie = server.sign_in();
    let bomb = bomb::png(16_000, 16_000);
    // Warm up: one upload of a real picture brings in what any upload needs (the decoder's code, a
    // connection of the pool, buffers).
    let headers = [("Cookie", cookie.as_str()), ("X-File-Name", "photo.png")];
    let (status, _, _) = server.request("POST", "/api/v1/files", &headers, &bomb::png(640, 480));
    assert_eq!(status, 201);
    let before = server.peak_memory();

    let headers = [("Cookie", cookie.as_str()), ("X-File-Name", "bomb.png")];
    std::thread::scope(|threads| {
        let uploads: Vec<_> = (0..PARALLEL)
            .map(|_| threads.spawn(|| server.request("POST", "/api/v1/files", &headers, &bomb)))
            .collect();
        for upload in uploads {
            let (status, _, body) = upload.join().unwrap();
            let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!((status, error["code"].as_str()), (415, Some("image_too_large")));
        }
    });
    let after = server.peak_memory();
    let mb = |bytes: u64| bytes as f64 / 1024.0 / 1024.0;
    println!("peak memory: {:.1} MB before, {:.1} MB after {PARALLEL} bombs", mb(before), mb(after));
    assert!(
        after - before < GROWTH_BOUND_BYTES,
        "{PARALLEL} bombs raised the peak from {:.1} MB to {:.1} MB",
        mb(before),
        mb(after)
    );
}
