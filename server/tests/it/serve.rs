//! The real listening loop on a real socket: slow clients are cut off and a
//! stop signal is obeyed within a bound, whatever the clients do.

use crate::common;

use std::time::{Duration, Instant};

use app::server::http::{serve, Timeouts};
use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

/// Starts the server on a free port; returns its address, the stop switch
/// and the task that ends when the server has stopped.
async fn start(
    name: &str,
    timeouts: Timeouts,
) -> (
    std::net::SocketAddr,
    oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let db = small_town(name).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, app_router(&db), timeouts, async {
        let _ = stopped.await;
    }));
    (addr, stop, task)
}

/// Sends a request and reads the whole answer (the server closes after it).
async fn http_get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut tcp = TcpStream::connect(addr).await.unwrap();
    tcp.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut out = Vec::new();
    tcp.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let timeouts = Timeouts {
        header_read: Duration::from_millis(800),
        ..Timeouts::default()
    };
    let (addr, stop, task) = start("slow-headers", timeouts).await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 512];
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read(&mut buf))
        .await
        .expect("the server keeps a half-sent request open for ever");
    // Either closed outright or answered 408; never left hanging.
    match read {
        Ok(0) | Err(_) => {}
        Ok(n) => assert!(
            String::from_utf8_lossy(&buf[..n]).contains("408"),
            "{}",
            String::from_utf8_lossy(&buf[..n])
        ),
    }
    assert!(started.elapsed() < Duration::from_secs(4));
    // Others are served meanwhile and after.
    let page = http_get(addr, "/api/town_overview").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    stop.send(()).unwrap();
    task.await.unwrap();
}

#[tokio::test]
async fn a_stop_signal_is_obeyed_within_the_grace_period_whatever_clients_do() {
    let timeouts = Timeouts {
        // Longer than the test: only the shutdown bound can end it.
        header_read: Duration::from_secs(120),
        body_idle: Duration::from_secs(120),
        shutdown_grace: Duration::from_millis(1500),
    };
    let (addr, stop, task) = start("stop-bound", timeouts).await;
    let page = http_get(addr, "/").await;
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    // One client stalls in its headers, another in its body.
    let mut in_headers = TcpStream::connect(addr).await.unwrap();
    in_headers
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut in_body = TcpStream::connect(addr).await.unwrap();
    in_body
        .write_all(
            b"POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nusername=",
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("the server did not stop within 5 s of the signal")
        .unwrap();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(4), "stopping took {took:?}");
    // Nothing listens any more.
    assert!(TcpStream::connect(addr).await.is_err());
    drop((in_headers, in_body));
}
