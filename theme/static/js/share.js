// Optional: the page works without this. Native share sheet where the browser has one, and
// Mastodon sharing straight to the reader's own server.
(function () {
  "use strict";
  document.querySelectorAll(".native-share").forEach(function (button) {
    if (!navigator.share) return;
    button.closest(".native-share-item").hidden = false;
    button.addEventListener("click", function () {
      navigator.share({ title: button.dataset.title, url: button.dataset.url }).catch(function () {});
    });
  });
  document.querySelectorAll(".mastodon-share").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var host = form.elements.instance.value.trim().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
      if (!/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?$/i.test(host)) return;
      event.preventDefault();
      window.location.href = "https://" + host + "/share?text=" + encodeURIComponent(form.elements.text.value);
    });
  });
})();
