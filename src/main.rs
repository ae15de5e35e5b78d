//! The page's entry point: mounts the kubeplay app into `<body>`.

fn main() {
    kubeplay_web::start();
}
