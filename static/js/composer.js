// Copy the letter's text to the clipboard; kept out of the page so no inline script is needed.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-from]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copyFrom);
  if (!source) return;
  const label = button.textContent;
  try {
    await navigator.clipboard.writeText(source.textContent);
    button.textContent = "Copied";
  } catch (error) {
    // Clipboard access can be refused (insecure origin, permissions): select the text instead.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.textContent = "Selected: press Ctrl+C";
  }
  setTimeout(() => { button.textContent = label; }, 2000);
});

// Adding a gift submits its own form; carry the letter's unsaved text along so none is lost.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const source = form.dataset && document.getElementById(form.dataset.carryForm || "");
  if (!source) return;
  form.querySelectorAll("input[data-carried]").forEach((input) => input.remove());
  for (const field of source.elements) {
    if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "submit") continue;
    const copy = document.createElement("input");
    copy.type = "hidden";
    copy.name = `${form.dataset.carryPrefix}-${field.name}`;
    copy.value = field.value;
    copy.dataset.carried = "1";
    form.appendChild(copy);
  }
});
