// The interview form's "Add another interviewer" button: copies the formset's empty row.
// Without JavaScript the form still works with the rows the server rendered.
(function () {
  "use strict";
  var rows = document.getElementById("interviewer-rows");
  var template = document.getElementById("interviewer-template");
  var button = document.getElementById("add-interviewer");
  if (!rows || !template || !button) return;

  var prefix = rows.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");

  function refresh() {
    var full = max && Number(total.value) >= Number(max.value);
    button.disabled = Boolean(full);
  }

  button.addEventListener("click", function () {
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var added = rows.lastElementChild;
    var legend = added.querySelector("legend");
    if (legend) legend.textContent = "Interviewer " + (index + 1);
    var first = added.querySelector("select, input, textarea");
    if (first) first.focus();
    refresh();
  });

  button.classList.remove("d-none");
  refresh();
})();
