// Drafts that last: the composer's text is saved a moment after typing stops, the status line
// says when, and leaving the page while some of it is not saved asks first.
//
// Each save carries the version of the text it started from; the server refuses one made from
// an older version (another window, or a coach, saved since) with 409 and both texts: the saved
// one is shown above the form, the person's stays in it, and saving stops until they reload.
(() => {
  const form = document.getElementById("letter-form");
  if (!form || !form.dataset.autosaveUrl) return;
  const status = document.getElementById("draft-status");
  const conflict = document.getElementById("draft-conflict");
  const DELAY_MS = 2000;

  let edits = 0; // changes typed so far
  let savedEdits = 0; // how many of them the server has
  let timer = null;
  let saving = null; // the save in flight
  let stopped = false; // after a conflict, until the page is reloaded
  let leaving = false; // a form is being sent: the page is about to go

  if (form.hasAttribute("data-unsaved")) {
    // The page itself shows a conflict: what is in the form was not saved.
    edits = 1;
    stopped = true;
  }

  // Text typed while this script was still loading (a slow connection) fired no "input" this
  // script heard: it counts as typed, so it is saved and leaving before then asks first.
  const typedBeforeLoad = Array.from(form.querySelectorAll("textarea, input[type=text]")).some(
    (field) => field.value !== field.defaultValue,
  );
  if (typedBeforeLoad && !stopped) {
    edits = 1;
    timer = setTimeout(save, DELAY_MS);
  }

  const unsaved = () => edits !== savedEdits;

  async function send(sending) {
    let response;
    try {
      response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
    } catch (error) {
      status.textContent = "Not saved: the connection failed. It is tried again as you type.";
      return;
    }
    const html = await response.text();
    if (response.status === 409) {
      stopped = true;
      conflict.innerHTML = html;
      status.textContent = "Not saved: see the message above.";
      conflict.scrollIntoView({ block: "nearest" });
      return;
    }
    status.innerHTML = html;
    const saved = status.querySelector("[data-version]");
    if (response.ok && saved) {
      form.elements.namedItem("version").value = saved.dataset.version;
      savedEdits = sending;
    }
  }

  async function save() {
    clearTimeout(timer);
    timer = null;
    while (saving) await saving;
    if (stopped || leaving || !unsaved()) return;
    saving = send(edits).finally(() => {
      saving = null;
    });
    await saving;
  }

  form.addEventListener("input", () => {
    edits += 1;
    clearTimeout(timer);
    timer = setTimeout(save, DELAY_MS);
  });

  // A form sent from this page must not race a save: the letter's own form (and the gift's,
  // which carries the text) waits for the save in flight, so it carries the version it made;
  // any other form (mark as sent, a comment) first saves what was typed, and stays if it cannot.
  document.addEventListener("submit", async (event) => {
    if (leaving) return;
    const sent = event.target;
    const carriesText = sent === form || sent.dataset.carryForm === form.id;
    if (!saving && (carriesText || !unsaved())) {
      leaving = true;
      return;
    }
    event.preventDefault();
    const submitter = event.submitter;
    if (carriesText) {
      while (saving) await saving;
    } else {
      await save();
      if (unsaved()) return;
    }
    leaving = true;
    sent.requestSubmit(submitter);
  });

  window.addEventListener("beforeunload", (event) => {
    if (leaving || !unsaved()) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();
