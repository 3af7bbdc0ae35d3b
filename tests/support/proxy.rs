//! A forward proxy on loopback for tests: `CONNECT` tunnels and absolute-form HTTP
//! requests, passed through byte for byte. It counts the connections it carried and can
//! require `Proxy-Authorization: Basic`.
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// The largest request head read before giving up on a connection.
const MAX_HEAD: usize = 64 * 1024;

pub struct ForwardProxy {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    carried: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl ForwardProxy {
    /// A proxy that requires these credentials when given.
    pub async fn start(credentials: Option<(&str, &str)>) -> ForwardProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let expected = credentials.map(|(user, password)| {
            format!(
                "basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )
        });
        let carried = Arc::new(AtomicUsize::new(0));
        let refused = Arc::new(AtomicUsize::new(0));
        let (c, r) = (carried.clone(), refused.clone());
        let task = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (expected, carried, refused) = (expected.clone(), c.clone(), r.clone());
                tokio::spawn(async move {
                    let _ = serve(client, expected, carried, refused).await;
                });
            }
        });
        ForwardProxy {
            address,
            carried,
            refused,
            task,
        }
    }

    /// Connections passed on to their target.
    pub fn carried(&self) -> usize {
        self.carried.load(Ordering::SeqCst)
    }

    /// Connections answered 407 for missing or wrong credentials.
    pub fn refused(&self) -> usize {
        self.refused.load(Ordering::SeqCst)
    }
}

impl Drop for ForwardProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut client: TcpStream,
    expected: Option<String>,
    carried: Arc<AtomicUsize>,
    refused: Arc<AtomicUsize>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = client.read(&mut buf).await?;
        if n == 0 || head.len() > MAX_HEAD {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let authorization = lines
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, value)| value.trim().to_ascii_lowercase());
    let authorized = match &expected {
        None => true,
        // The scheme is case-insensitive; the credentials were lowered with it.
        Some(expected) => authorization.as_deref() == Some(expected.to_ascii_lowercase().as_str()),
    };
    if !authorized {
        refused.fetch_add(1, Ordering::SeqCst);
        client
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await?;
        return Ok(());
    }
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    let authority = if method.eq_ignore_ascii_case("CONNECT") {
        target.to_owned()
    } else {
        let rest = target.strip_prefix("http://").unwrap_or(target);
        rest.split('/').next().unwrap_or(rest).to_owned()
    };
    let mut upstream = TcpStream::connect(&authority).await?;
    carried.fetch_add(1, Ordering::SeqCst);
    if method.eq_ignore_ascii_case("CONNECT") {
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
    } else {
        // Go's HTTP server accepts absolute-form request targets, so the head goes on as is.
        upstream.write_all(&head).await?;
    }
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}
