// The applications board: drag a card to another column to change its status. Each move posts
// to the same endpoint as the status form (and the card's "Move to" menu, which works without
// this script); the result is said in the status area, and a refused move puts the card back.
(function () {
  "use strict";
  const board = document.querySelector("[data-board][data-can-move]");
  if (!board || typeof Sortable === "undefined") return;
  const status = document.getElementById("board-status");

  function say(text, kind, link) {
    const alert = document.createElement("div");
    alert.className = "alert alert-" + kind + " mb-3";
    alert.append(text);
    if (link) {
      const a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      alert.append(" ", a);
    }
    status.replaceChildren(alert);
  }

  function recount() {
    board.querySelectorAll("[data-count]").forEach(function (badge) {
      const lists = board.querySelectorAll('.board-cards[data-status="' + badge.dataset.count + '"]');
      let n = 0;
      lists.forEach(function (list) { n += list.querySelectorAll(".board-card").length; });
      badge.textContent = n;
    });
  }

  // The card's "Move to" menu offers every status but the one it now has.
  function settle(card, newStatus) {
    card.querySelectorAll('.board-move button[name="status"]').forEach(function (button) {
      button.hidden = button.value === newStatus;
    });
    const menu = card.querySelector(".board-move");
    if (menu) menu.open = false;
  }

  // Closing cancels the card's next follow-up; reopening plans a new one.
  function showNextFollowUp(card, next) {
    const old = card.querySelector(".board-card-due");
    if (old) old.remove();
    if (!next) return;
    const line = document.createElement("p");
    line.className = "board-card-due small mb-0 mt-1";
    const when = document.createElement("time");
    when.dateTime = next.iso;
    when.textContent = next.text;
    line.append("Next follow-up ", when);
    if (next.late || next.today) {
      const flag = document.createElement("span");
      flag.className = next.late ? "board-late" : "fw-semibold";
      flag.textContent = next.late || "due today";
      line.append(" ", flag);
    }
    card.querySelector(".board-card-organisation").after(line);
  }

  function move(event) {
    const card = event.item;
    const from = event.from;
    const oldIndex = event.oldIndex;
    const newStatus = event.to.dataset.status;
    const name = card.dataset.name;
    card.setAttribute("aria-busy", "true");
    const body = new FormData();
    body.append("status", newStatus);
    fetch(card.dataset.statusUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": board.dataset.csrf },
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (!answer.ok) throw new Error("refused");
        // A card dropped on a closed column's drop zone joins the folded list of that column.
        if (event.to.classList.contains("board-drop")) {
          const column = event.to.closest(".board-column");
          const folded = column.querySelector(".board-closed-cards .board-cards");
          folded.prepend(card);
        }
        settle(card, answer.status);
        showNextFollowUp(card, answer.next_follow_up);
        const link = answer.closing_letter_url
          ? { href: answer.closing_letter_url, text: "Write a closing note" }
          : null;
        say(answer.message, "success", link);
      })
      .catch(function () {
        from.insertBefore(card, from.children[oldIndex] || null);
        say("“" + name + "” could not be moved; it is back where it was. Reload the page and try again.", "danger");
      })
      .finally(function () {
        card.removeAttribute("aria-busy");
        recount();
      });
  }

  board.querySelectorAll(".board-cards").forEach(function (list) {
    Sortable.create(list, {
      group: "applications",
      draggable: ".board-card",
      animation: 150,
      // Links, the menu and its buttons keep working; on a touch screen a short hold starts a
      // drag, so a swipe still scrolls the columns.
      filter: "a, summary, button",
      preventOnFilter: false,
      delayOnTouchOnly: true,
      delay: 200,
      sort: false,
      // Pointer events rather than the browser's drag and drop: the same on every device, and
      // it follows the pointer across columns that scroll.
      forceFallback: true,
      onAdd: move,
    });
  });
})();
