// Preselect the browser's time zone on the sign-up form, when the list offers it. Only a field
// marked data-browser-time-zone is touched: a form sent back with errors keeps what was chosen.
(() => {
  const select = document.querySelector("select[data-browser-time-zone]");
  if (!select) return;
  // A zone chosen while this script was still loading (a slow connection) is the person's
  // choice: the browser's zone must not replace it behind their back.
  const asSent = [...select.options].find((option) => option.defaultSelected) || select.options[0];
  if (asSent && select.value !== asSent.value) return;

  const canonical = (zone) => {
    try {
      return new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
    } catch (error) {
      return null; // a name this browser does not know
    }
  };
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) return;

  const offered = [...select.options].map((option) => option.value);
  if (offered.includes(zone)) {
    select.value = zone;
    return;
  }
  // Browsers may report an old name of the zone (Chrome has said "Asia/Calcutta" for
  // "Asia/Kolkata"), which the list leaves out: find the listed name the browser takes for
  // the same zone.
  const same = offered.find((name) => name && canonical(name) === zone);
  if (same) select.value = same;
})();
