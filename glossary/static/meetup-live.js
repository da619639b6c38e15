// Live meetup pages. On the projector: fetch the open ballots' tallies every few seconds and
// update them in place, so the room sees votes land without a reload. On a phone's list of
// ballots (data-watch="ballots"): reload when the organisers open or close a ballot. New or
// closed ballots, new candidates or a rotated code reload the page (the server renders those).
(function () {
  "use strict";
  var screen = document.getElementById("screen");
  if (!screen || !window.fetch) { return; }
  var url = screen.getAttribute("data-tally-url");
  var every = Math.max(1, parseInt(screen.getAttribute("data-refresh"), 10) || 3) * 1000;
  var codeNode = document.getElementById("join-code");
  var watchCandidates = screen.getAttribute("data-watch") !== "ballots";

  function shownBallots() {
    return Array.prototype.map.call(
      document.querySelectorAll("[data-ballot]"),
      function (node) { return node.getAttribute("data-ballot"); }
    ).join(",");
  }

  function setField(scope, name, value, max) {
    scope.querySelectorAll('[data-field="' + name + '"]').forEach(function (node) {
      if (node.tagName === "PROGRESS") {
        node.max = Math.max(max, 1);
        node.value = value;
        node.textContent = String(value);
      } else {
        node.textContent = String(value);
      }
    });
  }

  function apply(data) {
    var ids = data.ballots.map(function (ballot) { return String(ballot.id); }).join(",");
    var code = codeNode ? codeNode.textContent.trim() : null;
    var candidatesShown = document.querySelectorAll("[data-candidate]").length;
    var candidatesNow = data.ballots.reduce(function (n, b) { return n + b.candidates.length; }, 0);
    if (ids !== shownBallots() || (codeNode && data.join_code && data.join_code !== code) ||
        (watchCandidates && candidatesNow !== candidatesShown)) {
      window.location.reload();
      return;
    }
    data.ballots.forEach(function (ballot) {
      var card = document.querySelector('[data-ballot="' + ballot.id + '"]');
      if (!card) { return; }
      var voters = card.querySelector('.voters [data-field="voters"]');
      if (voters) { voters.textContent = String(ballot.voters); }
      ballot.candidates.forEach(function (candidate) {
        var row = card.querySelector('[data-candidate="' + candidate.id + '"]');
        if (!row) { return; }
        ["up", "down", "abstain"].forEach(function (name) {
          setField(row, name, candidate[name], ballot.voters);
        });
      });
    });
    screen.setAttribute("data-updated", String(Date.now()));
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { apply(data); } })
      .catch(function () { /* offline for a moment: try again next time */ })
      .then(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
})();
