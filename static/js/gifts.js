// The gift form shows only the fields of the kind chosen. Without this script every field shows,
// its help saying which kinds it is for, and the server ignores the fields of other kinds.
function showFieldsOfKind(form) {
  const kind = form.querySelector("[data-gift-kind]");
  if (!kind) return;
  form.querySelectorAll("[data-gift-kinds]").forEach((input) => {
    const wrapper = document.getElementById(`div_${input.id}`) || input.closest(".mb-3");
    if (wrapper) wrapper.hidden = !input.dataset.giftKinds.split(" ").includes(kind.value);
  });
}

document.querySelectorAll("form[data-gift-form]").forEach(showFieldsOfKind);
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-gift-kind]")) showFieldsOfKind(event.target.form);
});
