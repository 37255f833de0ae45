//! The `parta-server` command line.

use std::error::Error;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use parta_server::config::{
    Config, DEFAULT_HEARTBEAT_SECONDS, DEFAULT_IP_CODE_LIMIT, DEFAULT_IP_SIGN_IN_LIMIT,
    DEFAULT_UNSENT_MAX_BYTES, parse_origin,
};
use parta_server::{AppState, app, classes, db, demo, files, fill, schools};
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Parta's reference backend: the school communication API over an embedded SQLite database, and
/// the built web app.
#[derive(Parser)]
#[command(name = "parta-server", version)]
struct Cli {
    /// How log lines are written (to stderr).
    #[arg(long, env = "PARTA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Register a school and name its administrator by phone number.
    CreateSchool(CreateSchoolArgs),
    /// Add a class to a school, with its class chat and its parents' chat (prints the class id).
    AddClass(AddClassArgs),
    /// Add many realistic messages to a chat, written by its members (for tests, demos, benchmarks).
    FillChat(FillChatArgs),
    /// Print the OpenAPI document of the API.
    Openapi,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free one.
    #[arg(long, env = "PARTA_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Where the database lives (created on first start).
    #[arg(long, env = "PARTA_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// The built web app (output of `trunk build`).
    #[arg(long, env = "PARTA_DIST", default_value = "./dist")]
    dist: PathBuf,
    /// The URL people open, e.g. https://parta.school.example (an https URL makes cookies Secure).
    #[arg(long, env = "PARTA_PUBLIC_URL", value_parser = parse_origin)]
    public_url: Option<String>,
    /// Another origin allowed to call the API with credentials (repeatable; comma-separated in the
    /// environment variable).
    #[arg(long = "allow-origin", env = "PARTA_ALLOW_ORIGINS", value_delimiter = ',', value_parser = parse_origin)]
    allow_origins: Vec<String>,
    /// Keep the last code per number and offer GET /api/v1/dev/outbox. Never in production.
    #[arg(long, env = "PARTA_DEV_OUTBOX")]
    dev_outbox: bool,
    /// Create a demo school (if absent) to try Parta with.
    #[arg(long, env = "PARTA_DEMO")]
    demo: bool,
    /// Seconds between WebSocket pings.
    #[arg(long, env = "PARTA_HEARTBEAT_SECONDS", default_value_t = DEFAULT_HEARTBEAT_SECONDS,
          value_parser = clap::value_parser!(u32).range(1..=3600))]
    heartbeat_seconds: u32,
    /// Code requests allowed per client address per 10 minutes.
    #[arg(long, env = "PARTA_IP_CODE_LIMIT", default_value_t = DEFAULT_IP_CODE_LIMIT,
          value_parser = clap::value_parser!(u32).range(1..))]
    ip_code_limit: u32,
    /// Sign-in attempts allowed per client address per 10 minutes.
    #[arg(long, env = "PARTA_IP_SIGN_IN_LIMIT", default_value_t = DEFAULT_IP_SIGN_IN_LIMIT,
          value_parser = clap::value_parser!(u32).range(1..))]
    ip_sign_in_limit: u32,
    /// Megabytes of uploads each person may have waiting to be sent (neither sent nor kept).
    #[arg(long, env = "PARTA_UNSENT_MAX_MB", default_value_t = DEFAULT_UNSENT_MAX_BYTES / (1024 * 1024),
          value_parser = clap::value_parser!(u64).range(1..=1024 * 1024))]
    unsent_max_mb: u64,
}

#[derive(Args)]
struct CreateSchoolArgs {
    /// Full name, e.g. "Средняя общеобразовательная школа № 7".
    #[arg(long, env = "PARTA_SCHOOL_NAME")]
    name: String,
    /// Short name, e.g. "Школа № 7".
    #[arg(long, env = "PARTA_SCHOOL_SHORT_NAME")]
    short_name: Option<String>,
    /// Phone number of the school's administrator.
    #[arg(long, env = "PARTA_ADMIN_PHONE")]
    admin_phone: String,
    /// Where the database lives (may be in use by a running server).
    #[arg(long, env = "PARTA_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
}

#[derive(Args)]
struct AddClassArgs {
    /// The school, by the id `create-school` printed.
    #[arg(long)]
    school_id: i64,
    /// The class's name, e.g. "5А".
    #[arg(long)]
    name: String,
    /// Its grade, 1 to 11 (default: the number the name starts with, if any).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=11))]
    grade: Option<i64>,
    /// Where the database lives (may be in use by a running server).
    #[arg(long, env = "PARTA_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
}

#[derive(Args)]
struct FillChatArgs {
    /// The chat to fill.
    #[arg(long)]
    chat_id: i64,
    /// How many messages to add.
    #[arg(long, default_value_t = 10_000)]
    count: u32,
    /// Where the database lives (may be in use by a running server).
    #[arg(long, env = "PARTA_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
}

/// How long shutdown waits for WebSockets to say goodbye.
const SOCKET_GOODBYE: Duration = Duration::from_secs(5);
/// How often forgotten codes, sessions, addresses and unsent uploads are cleared away.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(3600);
/// How late a poll may close after its deadline: one query on an index, cheap at this pace.
const POLL_DEADLINES_EVERY: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let result = match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::CreateSchool(args) => create_school(args).await,
        Command::AddClass(args) => add_class(args).await,
        Command::FillChat(args) => fill_chat(args).await,
        Command::Openapi => {
            print!("{}", parta_server::openapi::json());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
}

/// `http://` and the address the server listens on; one listening on every interface is named
/// `localhost`, the one name sure to reach it from this machine.
fn listen_url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}", addr.port())
    } else {
        format!("http://{addr}")
    }
}

async fn serve(args: ServeArgs) -> Result<(), Box<dyn Error>> {
    let db = db::open(&args.data_dir).await?;
    let listener = TcpListener::bind(args.addr).await.map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "cannot listen on {}: the address is already in use. Is Parta (or another program) already \
             running there? Stop it, or choose another address with --addr, e.g. --addr 127.0.0.1:8081",
            args.addr
        ),
        _ => format!("cannot listen on {}: {e}", args.addr),
    })?;
    let listen_url = listen_url(listener.local_addr()?);
    if args.public_url.is_none() && !listener.local_addr()?.ip().is_loopback() {
        tracing::warn!(
            "--public-url is not set: links e-mailed to parents will point at {listen_url}; set it to the \
             address people open"
        );
    }
    let config = Config {
        dist: args.dist,
        data_dir: args.data_dir.clone(),
        public_url: args.public_url,
        listen_url: Some(listen_url.clone()),
        allowed_origins: args.allow_origins,
        dev_outbox: args.dev_outbox,
        heartbeat_seconds: args.heartbeat_seconds,
        ip_code_limit: args.ip_code_limit,
        ip_sign_in_limit: args.ip_sign_in_limit,
        unsent_max_bytes: args.unsent_max_mb * 1024 * 1024,
        ..Config::default()
    };
    let files_dir = config.files_dir();
    std::fs::create_dir_all(&files_dir)
        .map_err(|e| format!("cannot create the files directory {}: {e}", files_dir.display()))?;
    let state = AppState::new(db.clone(), config);
    if args.demo {
        if demo::seed(&db, state.clock.unix()).await? {
            tracing::info!("demo school created");
        }
        println!(
            "Demo school «{}»: sign in as its administrator with {} — the one-time code appears in this log.",
            demo::SCHOOL_SHORT_NAME,
            api::phone::display(demo::ADMIN_PHONE),
        );
    }
    if state.config.dev_outbox {
        tracing::warn!("--dev-outbox is on: anyone can read sign-in codes; never use it in production");
    }

    println!("Parta is running at {listen_url}");

    tokio::spawn(housekeeping(state.clone()));
    tokio::spawn(poll_deadlines(state.clone()));
    let shutdown = state.shutdown.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        shutdown.cancel();
    });
    axum::serve(listener, app(state.clone()).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(state.shutdown.clone().cancelled_owned())
        .await?;

    state.sockets.close();
    if tokio::time::timeout(SOCKET_GOODBYE, state.sockets.wait()).await.is_err() {
        tracing::warn!("some WebSockets did not close in time");
    }
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("installing a SIGTERM handler only fails outside a Tokio runtime");
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

async fn housekeeping(state: AppState) {
    let mut every = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            () = state.shutdown.cancelled() => return,
        }
        let now = state.clock.unix();
        state.limiter.prune(now);
        if let Err(error) = db::prune(&state.db, now).await {
            tracing::warn!(%error, "housekeeping failed");
        }
        match files::prune(&state.db, &state.config.files_dir(), now).await {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed uploads that were never sent"),
            Err(error) => tracing::warn!(%error, "removing unsent uploads failed"),
        }
    }
}

/// Closes polls at their deadlines, live: at start (deadlines that passed while the server was down),
/// then every [`POLL_DEADLINES_EVERY`].
async fn poll_deadlines(state: AppState) {
    let mut every = tokio::time::interval(POLL_DEADLINES_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            () = state.shutdown.cancelled() => return,
        }
        if let Err(error) = parta_server::routes::polls::close_due(&state).await {
            tracing::warn!(%error, "closing polls at their deadlines failed");
        }
    }
}

async fn create_school(args: CreateSchoolArgs) -> Result<(), Box<dyn Error>> {
    let db = db::open(&args.data_dir).await?;
    let now = parta_server::clock::Clock::default().unix();
    // Typed by a person like any name in the app, and cleaned the same way (`api::text`).
    let name = api::text::clean_line(&args.name);
    let short_name = args.short_name.as_deref().map(api::text::clean_line);
    let created = schools::create(&db, &name, short_name.as_deref(), &args.admin_phone, now).await?;
    db.close().await;
    eprintln!(
        "Created school «{name}» (id {}); its administrator signs in with {}.",
        created.school_id,
        api::phone::display(&created.admin_phone),
    );
    println!("{}", created.school_id);
    Ok(())
}

async fn add_class(args: AddClassArgs) -> Result<(), Box<dyn Error>> {
    let db = db::open(&args.data_dir).await?;
    let now = parta_server::clock::Clock::default().unix();
    let name = api::text::clean_line(&args.name);
    let grade = args.grade.or_else(|| classes::grade_of_name(&name));
    let created = classes::create_class(&db, args.school_id, &name, grade, now).await;
    db.close().await;
    let created = created?;
    eprintln!(
        "Created class «{}» (id {}) in school {} with the chats «{}» and «{}».",
        created.name,
        created.class_id,
        args.school_id,
        created.name,
        classes::parents_chat_title(&created.name),
    );
    println!("{}", created.class_id);
    Ok(())
}

async fn fill_chat(args: FillChatArgs) -> Result<(), Box<dyn Error>> {
    let db = db::open(&args.data_dir).await?;
    let now = parta_server::clock::Clock::default().unix();
    let started = std::time::Instant::now();
    let filled = fill::fill_chat(&db, args.chat_id, args.count, now).await;
    db.close().await;
    match filled? {
        Some((first, last)) => eprintln!(
            "Added {} messages to chat {} (ids {first}–{last}) in {:.1} s.",
            args.count,
            args.chat_id,
            started.elapsed().as_secs_f64()
        ),
        None => eprintln!("Added no messages."),
    }
    Ok(())
}
