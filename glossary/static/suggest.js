// Autocomplete for the search box: a visible list under it from the 2nd character.
// Progressive enhancement only: without this file the box is a plain GET form.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("q-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var DEBOUNCE_MS = 200, MIN_CHARS = 2;
  var timer = null, active = -1, items = [], latest = 0;

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function conceptUrl(uid) {
    return input.dataset.conceptUrl.replace("UID", encodeURIComponent(uid));
  }

  function highlight(index) {
    items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", items[index].id); }
    else { input.removeAttribute("aria-activedescendant"); }
  }

  function show(suggestions) {
    close();
    if (!suggestions.length) { return; }
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.id = "q-suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = conceptUrl(s.concept);
      var text = document.createElement("span");
      text.textContent = s.text;  // never innerHTML: suggestions are user data
      text.lang = s.lang;
      text.dir = "auto";
      var tag = document.createElement("small");
      tag.className = "tag";
      tag.textContent = s.lang;
      li.appendChild(text);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(tag);
      li.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep focus in the box until we navigate
        window.location.assign(li.dataset.href);
      });
      list.appendChild(li);
      items.push(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var value = input.value.trim();
    if (value.length < MIN_CHARS) { close(); return; }
    var ticket = ++latest;
    var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(value);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) { if (ticket === latest) { show(body.suggestions || []); } })
      .catch(close);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden || !items.length) { return; }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location.assign(items[active].dataset.href);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();
