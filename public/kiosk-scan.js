// Camera scanning for the points-supermarket counter, where the browser
// offers the BarcodeDetector API (Android Chrome, ChromeOS, Safari 17+).
// The "摄像头扫码" button names the field to fill; a detected card code is
// typed into it and its form submitted, exactly as a USB scanner would.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  document.documentElement.classList.add("has-barcode");

  let stream = null;
  function stop(video) {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    if (video) {
      video.srcObject = null;
      video.classList.remove("scanning");
    }
  }

  async function scan(button) {
    const field = document.getElementById(button.dataset.cameraScan);
    const video = document.getElementById("kiosk-camera-view");
    if (!field || !video) return;
    if (stream) return stop(video);
    // The camera is allowed only on the scanning pages (Permissions-Policy),
    // and a document keeps the policy it was loaded with: reached by an
    // in-app link from elsewhere, load the page afresh, then tap again.
    const policy = document.permissionsPolicy || document.featurePolicy;
    if (policy && !policy.allowsFeature("camera")) {
      location.reload();
      return;
    }
    const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (e) {
      alert("无法打开摄像头，请用扫码枪或数字键输入卡号");
      return;
    }
    video.srcObject = stream;
    video.classList.add("scanning");
    // Not awaited: a camera slow to deliver its first frame must not stall
    // the loop, which simply finds nothing until frames arrive.
    video.play().catch(() => {});
    const started = Date.now();
    while (stream && Date.now() - started < 30000) {
      try {
        const codes = await detector.detect(video);
        const code = codes.map((c) => c.rawValue.trim()).find((v) => /^\d{1,20}$/.test(v));
        if (code) {
          stop(video);
          const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
          set.call(field, code);
          field.dispatchEvent(new Event("input", { bubbles: true }));
          field.form && field.form.requestSubmit();
          return;
        }
      } catch (e) {
        // A frame that cannot be read yet: try the next one.
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    stop(video);
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest("[data-camera-scan]");
    if (button) scan(button);
  });
})();
