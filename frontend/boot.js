// Starts the WASM app. Kept out of index.html so a strict Content-Security-Policy
// (script-src 'self' 'wasm-unsafe-eval') needs no inline-script exception.
import init from "/assets/mes-frontend.js?v=__BUILD__";

init({ module_or_path: "/assets/mes-frontend_bg.wasm?v=__BUILD__" }).catch((error) => {
  const boot = document.getElementById("boot");
  if (boot) {
    boot.textContent =
      "无法启动应用，请刷新页面或联系管理员。 The app could not start: reload the page or contact your administrator.";
  }
  throw error;
});

// The service worker keeps the app shell for tablets that reload offline. Browsers allow it on
// HTTPS and on localhost only; elsewhere the app still works, it just needs the network to start.
if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register("/sw.js").catch((error) => {
    console.warn("service worker not registered:", error);
  });
}
