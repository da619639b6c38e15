// Copy buttons: put a term (or a concept link) on the clipboard and say so briefly.
(function () {
  "use strict";
  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } finally { document.body.removeChild(area); }
    return Promise.resolve();
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (!button) { return; }
    var text = button.dataset.copy;
    var copy = navigator.clipboard && window.isSecureContext
      ? navigator.clipboard.writeText(text) : fallbackCopy(text);
    copy.then(function () {
      var label = button.querySelector(".copied-label");
      button.classList.add("copied");
      if (label) { label.hidden = false; }
      setTimeout(function () {
        button.classList.remove("copied");
        if (label) { label.hidden = true; }
      }, 1200);
    });
  });
})();
