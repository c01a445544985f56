// Camera QR scanner for Bimtek attendance (trainer's /bimtek/sesi/N/pindai/, volunteer's /bimtek/hadir/).
// A <form data-qr-scan> with one text input gets a "scan with camera" button when the browser
// offers a camera (getUserMedia, which needs https or localhost) and jsQR (served by our own
// server) is loaded. Frames are decoded in the page; a code found fills the input and submits the
// form, which the server checks exactly as a typed code. Without camera or JavaScript the form is
// the typing fallback. After a scan the page reloads; the camera starts again by itself while the
// user has not stopped it (sessionStorage), so a trainer scans one volunteer after another; the
// code just sent is skipped while it stays in view.
(function () {
  "use strict";
  var KEY = "kawaltps-qr-camera";

  function setup(form) {
    var input = form.querySelector("input[type=text], input:not([type])");
    var media = navigator.mediaDevices;
    if (!input || !media || !media.getUserMedia || typeof window.jsQR !== "function") return;
    var box = document.createElement("div");
    box.className = "qr-camera";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button qr-toggle";
    button.textContent = form.dataset.labelStart;
    var status = document.createElement("p");
    status.className = "muted qr-status";
    status.setAttribute("role", "status");
    var video = document.createElement("video");
    video.setAttribute("playsinline", "");
    video.muted = true;
    video.hidden = true;
    box.appendChild(button);
    box.appendChild(video);
    box.appendChild(status);
    form.parentNode.insertBefore(box, form);
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext("2d", {willReadFrequently: true});
    var stream = null;

    function stop(keep) {
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
      stream = null;
      video.hidden = true;
      button.textContent = form.dataset.labelStart;
      if (!keep) sessionStorage.removeItem(KEY);
    }

    function tick() {
      if (!stream) return;
      if (video.readyState >= 2 && video.videoWidth) {
        var scale = Math.min(1, 640 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "attemptBoth"});
        if (code && code.data && code.data !== sessionStorage.getItem(KEY + ":last")) {
          sessionStorage.setItem(KEY + ":last", code.data);  // the same card, still in view, is not sent twice
          input.value = code.data;
          status.textContent = form.dataset.labelFound;
          stop(true);
          if (form.requestSubmit) form.requestSubmit(); else form.submit();
          return;
        }
      }
      requestAnimationFrame(tick);
    }

    function start() {
      status.textContent = form.dataset.labelWaiting;
      media.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (s) {
        stream = s;
        sessionStorage.setItem(KEY, "1");
        video.srcObject = s;
        video.hidden = false;
        button.textContent = form.dataset.labelStop;
        status.textContent = form.dataset.labelAim;
        return video.play();
      }).then(function () { requestAnimationFrame(tick); }).catch(function () {
        stop(false);
        status.textContent = form.dataset.labelDenied;
      });
    }

    button.addEventListener("click", function () { if (stream) stop(false); else start(); });
    if (sessionStorage.getItem(KEY) === "1") start();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-qr-scan]").forEach(setup);
  });
})();
