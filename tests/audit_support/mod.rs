//! A small HTTP/1.1 server on 127.0.0.1 for the audit tests and benchmark, written on a raw
//! tokio `TcpListener` so that it can misbehave: drip bytes, never end a body, send thousands
//! of headers.
#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server answers to one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// `200` and a body that never ends.
    Endless,
    /// `200` and a body of one byte every `interval`, for ever.
    Drip(Duration),
    /// `200` with `n` extra headers.
    ManyHeaders(usize),
    /// The reply, after a delay.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn html(body: &str) -> Reply {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }

    /// Adds a header (a `Set-Cookie`, say) to a full reply.
    pub fn with(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// The body gzip-compressed, with its `Content-Encoding`.
    pub fn gzip(self) -> Reply {
        self.encoded("gzip", |body| {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(body).expect("gzip in memory");
            enc.finish().expect("gzip in memory")
        })
    }

    /// The body brotli-compressed, with its `Content-Encoding`.
    pub fn brotli(self) -> Reply {
        self.encoded("br", |body| {
            let mut out = Vec::new();
            {
                let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                w.write_all(body).expect("brotli in memory");
            }
            out
        })
    }

    fn encoded(self, name: &str, encode: impl FnOnce(&[u8]) -> Vec<u8>) -> Reply {
        match self {
            Reply::Full {
                status,
                mut headers,
                body,
            } => {
                headers.push(("Content-Encoding".into(), name.into()));
                Reply::Full {
                    status,
                    headers,
                    body: encode(&body),
                }
            }
            other => other,
        }
    }
}

/// The policy page of `id` in `lang` exactly as PolicyDesk renders it from the folder `sites`:
/// what a faithful stand-in portal serves.
pub fn policy_html(sites: &Path, id: &str, lang: &str) -> String {
    let ws = policydesk::store::load_sites(sites);
    let site = &ws
        .site(id)
        .unwrap_or_else(|| panic!("{id} is not in {}", sites.display()))
        .site;
    let document = policydesk::render::build_document(site, &ws.cookies_of(site), lang);
    policydesk::render::html::render(&document)
}

type Handler = Arc<dyn Fn(&str) -> Reply + Send + Sync>;

/// A server answering every request with `handler(path)`; it stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        let handler: Handler = Arc::new(handler);
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("server runtime");
            rt.block_on(async move {
                let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
                addr_tx
                    .send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                let accept = async {
                    loop {
                        let Ok((stream, _)) = listener.accept().await else {
                            continue;
                        };
                        let handler = handler.clone();
                        tokio::spawn(serve(stream, handler));
                    }
                };
                tokio::select! {
                    () = accept => {}
                    _ = stop_rx => {}
                }
            });
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        let addr = addr_rx.recv().expect("server address");
        Server {
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers requests on one connection until the client closes it or a reply ends it.
async fn serve(mut stream: TcpStream, handler: Handler) {
    let mut buf = Vec::new();
    loop {
        let Some(end) = read_head(&mut stream, &mut buf).await else {
            return;
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        buf.drain(..end);
        let path = head
            .lines()
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("/")
            .to_string();
        let reply = handler(&path);
        if !write_reply(&mut stream, reply).await {
            return;
        }
    }
}

/// Reads up to the end of a request head; its length, headers included.
async fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Option<usize> {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            return Some(i + 4);
        }
        if buf.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// Writes a reply; whether the connection can serve another request.
async fn write_reply(stream: &mut TcpStream, reply: Reply) -> bool {
    match reply {
        Reply::Delayed(delay, reply) => {
            tokio::time::sleep(delay).await;
            Box::pin(write_reply(stream, *reply)).await
        }
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} X\r\nContent-Length: {}\r\n", body.len());
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let mut bytes = head.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await.is_ok()
        }
        Reply::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            let chunk = vec![b'a'; 64 * 1024];
            while stream.write_all(&chunk).await.is_ok() {}
            false
        }
        Reply::Drip(interval) => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return false;
            }
            loop {
                if stream.write_all(b"a").await.is_err() {
                    return false;
                }
                tokio::time::sleep(interval).await;
            }
        }
        Reply::ManyHeaders(n) => {
            let mut head = String::from("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
            for i in 0..n {
                head.push_str(&format!("X-Filler-{i}: {i}\r\nSet-Cookie: c{i}=v\r\n"));
            }
            head.push_str("\r\nok");
            let _ = stream.write_all(head.as_bytes()).await;
            false
        }
    }
}
