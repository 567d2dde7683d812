// Optional: without this, a video's play button is a plain link to its page on the host.
// With it, the click puts the host's player in place of the poster; nothing is asked of the
// host before that click (no iframe, no image, no preconnect).
(function () {
  "use strict";
  document.querySelectorAll(".video-facade[data-embed]").forEach(function (facade) {
    facade.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.className = "video-frame";
      frame.src = facade.dataset.embed;
      frame.title = facade.dataset.title;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      facade.replaceWith(frame);
      frame.focus();
    });
  });
})();
