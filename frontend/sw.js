// Service worker: keeps the app shell (page, script, WASM, styles) on the device, so a station
// tablet that reloads while the Wi-Fi is down still starts, shows what it saved and keeps its
// queued reports (they live in localStorage and are sent by the app, not by this worker).
// API calls are never answered from a cache: shop-floor data must be live or plainly offline.
const CACHE = "mes-shell-__BUILD__";
const SHELL = [
  "/",
  "/assets/boot.js?v=__BUILD__",
  "/assets/mes-frontend.js?v=__BUILD__",
  "/assets/mes-frontend_bg.wasm?v=__BUILD__",
  "/assets/mes.css?v=__BUILD__",
  "/assets/favicon.svg?v=__BUILD__",
  "/manifest.webmanifest",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("mes-shell-") && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname === "/healthz" || url.pathname === "/metrics") {
    return;
  }
  if (request.mode === "navigate") {
    // Network first: a new version shows as soon as it is installed on the server.
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match("/"))),
    );
    return;
  }
  // Versioned assets never change under their URL: the cached copy is the right one.
  event.respondWith(
    caches.open(CACHE).then((cache) =>
      cache.match(request).then((hit) => hit || fetch(request)),
    ),
  );
});
