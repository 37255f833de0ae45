//! How long a message takes to reach every member of a big chat: the real server on a loopback port,
//! one chat of `--members` people (1,000 by default), each with a session and an open WebSocket; one
//! of them posts through HTTP, `--rounds` times, and every socket notes when its `message_created`
//! arrives. Prints p50 / p95 / max from just before the POST to each socket's copy.
//!
//! ```sh
//! cargo run --release -p parta-server --example fanout
//! cargo run --release -p parta-server --example fanout -- --members 300 --rounds 50
//! ```
//!
//! The sockets' side runs in the same process, so it shares the machine's cores with the server: the
//! figures are an upper bound of what the server alone needs.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use api::ServerEvent;
use axum::http::header;
use futures_util::StreamExt;
use parta_server::config::Config;
use parta_server::{AppState, app, classes, db, schools};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Sockets opened at the same time while connecting everyone.
const CONNECT_BATCH: usize = 100;
/// Pause between rounds, so that each round starts from a quiet server.
const BETWEEN_ROUNDS: Duration = Duration::from_millis(200);

struct Options {
    members: usize,
    rounds: usize,
}

fn options() -> Options {
    let mut options = Options { members: 1000, rounds: 20 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--members", Some(n)) if n >= 2 => options.members = n,
            ("--rounds", Some(n)) if n >= 1 => options.rounds = n,
            _ => {
                eprintln!("usage: fanout [--members N (≥ 2, default 1000)] [--rounds N (default 20)]");
                std::process::exit(2);
            }
        }
    }
    options
}

#[tokio::main]
async fn main() {
    let Options { members, rounds } = options();
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    let data_dir = dir.path().join("data");
    let pool = db::open(&data_dir).await.unwrap();
    // No pings during the run: the sockets here never answer them.
    let config = Config { dist, data_dir, heartbeat_seconds: 3600, ..Config::default() };
    let state = AppState::new(pool.clone(), config.clone());
    let now = state.clock.unix();

    let setup = Instant::now();
    let school = schools::create(&pool, "Школа для замера", None, "+79000000001", now).await.unwrap();
    let class = classes::create_class(&pool, school.school_id, "5А", Some(5), now).await.unwrap();
    let chat_id = class.class_chat_id;
    let mut tx = db::begin_write(&pool).await.unwrap();
    let mut user_ids = Vec::with_capacity(members);
    for n in 0..members {
        let user_id = db::user_for_phone(&mut *tx, &format!("+7901{n:07}"), now).await.unwrap();
        sqlx::query(
            "UPDATE users SET first_name = ?, last_name = 'Участник', birth_date = '2012-09-01' WHERE id = ?",
        )
        .bind(format!("Ученик {n}"))
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO memberships (school_id, user_id, class_id, role, created_at) VALUES (?, ?, ?, 'student', ?)",
        )
        .bind(school.school_id)
        .bind(user_id)
        .bind(class.class_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
        db::join_chat(&mut *tx, chat_id, user_id, true, now).await.unwrap();
        user_ids.push(user_id);
    }
    tx.commit().await.unwrap();
    let mut cookies = Vec::with_capacity(members);
    for &user_id in &user_ids {
        let set_cookie = parta_server::auth::session::start(&pool, &config, user_id, now).await.unwrap();
        cookies.push(set_cookie.to_str().unwrap().split(';').next().unwrap().to_string());
    }

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let shutdown = state.shutdown.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown.cancelled_owned())
            .await
            .unwrap();
    });

    // Every socket reports the client id of each message it gets, and when it got it.
    let (arrivals, mut arrived) = mpsc::unbounded_channel::<(String, Instant)>();
    let url = format!("ws://{address}/api/v1/events");
    for batch in cookies.chunks(CONNECT_BATCH) {
        let mut opening = JoinSet::new();
        for cookie in batch {
            let (url, cookie, arrivals) = (url.clone(), cookie.clone(), arrivals.clone());
            opening.spawn(async move {
                let mut request = url.into_client_request().unwrap();
                request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
                let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
                let hello = socket.next().await.unwrap().unwrap();
                assert!(hello.to_text().unwrap().contains("\"hello\""));
                tokio::spawn(async move {
                    while let Some(Ok(frame)) = socket.next().await {
                        let Message::Text(text) = frame else { continue };
                        if let Some(client_id) = created_client_id(&text) {
                            let _ = arrivals.send((client_id.to_string(), Instant::now()));
                        }
                    }
                });
            });
        }
        while let Some(opened) = opening.join_next().await {
            opened.unwrap();
        }
    }
    drop(arrivals);
    eprintln!("{members} members with open sockets, ready in {:.1} s", setup.elapsed().as_secs_f64());

    let sample = ServerEvent::MessageCreated {
        seq: 1,
        message: api::Message {
            id: 1,
            chat_id,
            author: None,
            kind: api::MessageKind::Text,
            text: "\"client_id\":\"not-this\"".into(),
            created_at: String::new(),
            client_id: Some("fanout-sample".into()),
            edited_at: None,
            deleted: false,
            reply_to: None,
            reactions: Vec::new(),
            read_count: 0,
            poll: None,
            ack: None,
            attachments: Vec::new(),
            mentions: Vec::new(),
            system: None,
        },
    };
    let sample = serde_json::to_string(&sample).unwrap();
    assert_eq!(created_client_id(&sample), Some("fanout-sample"), "{sample}");

    let author = &cookies[0];
    let mut latencies: Vec<Duration> = Vec::with_capacity(members * rounds);
    let mut answers: Vec<Duration> = Vec::with_capacity(rounds);
    let mut last_arrivals: Vec<Duration> = Vec::with_capacity(rounds);
    for round in 0..rounds {
        tokio::time::sleep(BETWEEN_ROUNDS).await;
        let client_id = format!("fanout-{round:04}");
        let body = serde_json::json!({
            "client_id": client_id,
            "text": format!("Замер {round}: завтра первый урок в 8:30, не забудьте дневники."),
        })
        .to_string();
        let posted = Instant::now();
        let status = post(address, &format!("/api/v1/chats/{chat_id}/messages"), author, &body).await;
        answers.push(posted.elapsed());
        assert_eq!(status, 201, "round {round}");
        let mut received = 0;
        let mut slowest = Duration::ZERO;
        while received < members {
            let (id, at) = tokio::time::timeout(Duration::from_secs(30), arrived.recv())
                .await
                .expect("every socket gets the message within 30 s")
                .expect("the sockets stay open");
            if id == client_id {
                received += 1;
                let latency = at.duration_since(posted);
                slowest = slowest.max(latency);
                latencies.push(latency);
            }
        }
        last_arrivals.push(slowest);
    }

    latencies.sort_unstable();
    answers.sort_unstable();
    last_arrivals.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |sorted: &[Duration], p: f64| sorted[((sorted.len() - 1) as f64 * p).round() as usize];
    println!(
        "fan-out to {members} sockets, {rounds} rounds ({} deliveries), on {} cores",
        latencies.len(),
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "  POST → a socket has it:      p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(at(&latencies, 0.5)),
        ms(at(&latencies, 0.95)),
        ms(at(&latencies, 1.0))
    );
    println!(
        "  POST → the last socket:      p50 {:.1} ms, max {:.1} ms",
        ms(at(&last_arrivals, 0.5)),
        ms(at(&last_arrivals, 1.0))
    );
    println!(
        "  POST → its 201 answer:       p50 {:.1} ms, max {:.1} ms",
        ms(at(&answers, 0.5)),
        ms(at(&answers, 1.0))
    );
    server.abort();
}

/// The client id of a `message_created` frame. Read without parsing the whole event, so that the
/// sockets' side, which shares the cores with the server, takes as little of them as it can; the
/// frame's shape is checked once per run in `main`.
fn created_client_id(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(r#"{"type":"message_created","#)?;
    let start = rest.find(r#""client_id":""#)? + r#""client_id":""#.len();
    let end = rest[start..].find('"')?;
    Some(&rest[start..start + end])
}

/// A bare HTTP/1.1 POST as the app sends it (JSON, the CSRF header); returns the status code.
async fn post(address: SocketAddr, path: &str, cookie: &str, body: &str) -> u16 {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\n{}: 1\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        api::CSRF_HEADER,
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let head = String::from_utf8_lossy(&response[..response.len().min(32)]).into_owned();
    head.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
}
